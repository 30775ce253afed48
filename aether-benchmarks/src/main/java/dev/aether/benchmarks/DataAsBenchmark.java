package dev.aether.benchmarks;

import dev.aether.Event;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link Event#dataAs(Class)} on a typical event next to building the same record from the {@code Map} by hand. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DataAsBenchmark {

    /** A typical event's payload. */
    public record MoneyDeposited(long amount, String currency, String reference) {
    }

    private final Event typical = Event.builder().eventType("MoneyDeposited").actorId("account-1").version(1)
            .data(Map.of("amount", 100, "currency", "EUR", "reference", "benchmark deposit"))
            .correlationId("corr-1").build();

    /** Typed: the event's data read into a record by {@code dataAs}. */
    @Benchmark
    public MoneyDeposited dataAs() {
        return typical.dataAs(MoneyDeposited.class);
    }

    /** Baseline: the same record built by hand from the {@code Map}. */
    @Benchmark
    public MoneyDeposited readMap() {
        Map<String, Object> data = typical.data();
        return new MoneyDeposited(((Number) data.get("amount")).longValue(), (String) data.get("currency"),
                (String) data.get("reference"));
    }
}
