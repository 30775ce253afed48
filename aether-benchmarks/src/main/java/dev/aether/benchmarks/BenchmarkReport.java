package dev.aether.benchmarks;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the benchmarks with JMH's GC profiler and prints, for each Aether operation, its time and
 * allocation per operation as a ratio to the raw jnats operation measured in the same run, then the
 * batch and pipeline comparisons, the command-path tables of {@link CommandPathReport} and the
 * catch-up table of {@link CatchUpReport}. Arguments are JMH's own ({@code -wi 1 -i 2}, {@code -f 1}, ...);
 * a benchmark pattern among them runs only the matching benchmarks instead of all.
 */
public final class BenchmarkReport {

    /** Each Aether benchmark and the raw jnats benchmark it is compared with. */
    static final Map<String, String> BASELINES = new LinkedHashMap<>();

    static {
        BASELINES.put("saveEvent", "rawPublishExpectingLastSequence");
        BASELINES.put("getLatestVersion", "rawGetLastMessage");
        BASELINES.put("getEvents", "rawOrderedConsumerReadShort");
        BASELINES.put("getEventsLong", "rawOrderedConsumerRead");
        BASELINES.put("saveEventsOfTen", "rawPublishBatchOfTen");
        BASELINES.put("saveEventAsyncOverAllActors", "rawPublishAsyncOverAllSubjects");
    }

    private BenchmarkReport() {
    }

    /**
     * @param args JMH command-line options
     * @throws RunnerException           if JMH fails
     * @throws CommandLineOptionException if an option is malformed
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine).addProfiler(GCProfiler.class);
        if (commandLine.getIncludes().isEmpty()) {
            options.include(JetStreamStoreBenchmark.class.getSimpleName())
                    .include(JetStreamSaveBenchmark.class.getSimpleName());
        }
        Optional<String> noJdbc = Optional.empty();
        String synchronousCommit = "?";
        if (CommandPathReport.selected(commandLine.getIncludes())) {
            noJdbc = JdbcEventTable.unreachable(JdbcEventTable.url());
            if (noJdbc.isPresent()) {
                System.err.println("*** JDBC PEER NOT MEASURED: " + noJdbc.get() + "; start PostgreSQL there or set "
                        + JdbcEventTable.URL_ENV + " to a JDBC URL. The jdbc* benchmarks are skipped. ***");
                options.exclude(CommandPathReport.JDBC_BENCHMARKS);
            } else {
                try {
                    synchronousCommit = JdbcEventTable.synchronousCommit(JdbcEventTable.url());
                } catch (java.sql.SQLException e) {
                    synchronousCommit = "unknown (" + e.getMessage() + ")";
                }
            }
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        CommandPathReport.print(results, noJdbc, synchronousCommit);
        CatchUpReport.print(results);

        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            if (label.startsWith(CommandPathBenchmark.class.getName() + ".") || CatchUpReport.covers(label)) {
                continue; // reported by CommandPathReport and CatchUpReport
            }
            byName.put(label.substring(label.lastIndexOf('.') + 1), result);
        }
        if (byName.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("| operation | Aether µs/op | raw jnats µs/op | time ratio | Aether B/op | raw B/op | allocation ratio |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        BASELINES.forEach((aether, raw) -> {
            RunResult a = byName.get(aether);
            RunResult r = byName.get(raw);
            if (a == null || r == null) {
                return;
            }
            double at = a.getPrimaryResult().getScore();
            double rt = r.getPrimaryResult().getScore();
            double ab = allocation(a).orElse(Double.NaN);
            double rb = allocation(r).orElse(Double.NaN);
            System.out.printf("| %s vs %s | %.1f ± %.1f | %.1f ± %.1f | %.2f | %.0f | %.0f | %.2f |%n", aether, raw,
                    at, a.getPrimaryResult().getScoreError(), rt, r.getPrimaryResult().getScoreError(), at / rt,
                    ab, rb, ab / rb);
        });
        RunResult floor = byName.get("rawPublish");
        if (floor != null) {
            System.out.printf("%nrawPublish (no headers, the floor of a save): %.1f µs/op%n", floor.getPrimaryResult().getScore());
        }
        RunResult perMessage = byName.get("rawGetMessages");
        if (perMessage != null) {
            System.out.printf("rawGetMessages (the %d messages one request each, the path for short reads): %.1f µs/op%n",
                    JetStreamStoreBenchmark.READ_SIZE, perMessage.getPrimaryResult().getScore());
        }
        RunResult batch = byName.get("saveEventsOfTen");
        RunResult single = byName.get("saveEventTenTimes");
        if (batch != null && single != null) {
            double b = batch.getPrimaryResult().getScore();
            double s = single.getPrimaryResult().getScore();
            System.out.printf("%nPer event: saveEvents of %d %.1f µs, saveEvent %d times %.1f µs: the batch is %.1fx faster%n",
                    JetStreamSaveBenchmark.BATCH, b, JetStreamSaveBenchmark.BATCH, s, s / b);
        }
        RunResult pipelined = byName.get("saveEventAsyncOverAllActors");
        RunResult rawAsync = byName.get("rawPublishAsyncOverAllSubjects");
        if (pipelined != null && rawAsync != null) {
            double aetherPerSecond = 1e6 / pipelined.getPrimaryResult().getScore();
            double rawPerSecond = 1e6 / rawAsync.getPrimaryResult().getScore();
            System.out.printf("Over %d actors from one thread: saveEventAsync %.0f saves/s, raw publishAsync %.0f publishes/s:"
                    + " %.2fx the raw throughput%n", JetStreamSaveBenchmark.ACTORS, aetherPerSecond, rawPerSecond,
                    aetherPerSecond / rawPerSecond);
        }
    }

    /** @return the allocation per operation that the GC profiler measured, if it ran */
    static Optional<Double> allocation(RunResult result) {
        Result<?> norm = result.getSecondaryResults().get("·gc.alloc.rate.norm");
        if (norm == null) {
            norm = result.getSecondaryResults().get("gc.alloc.rate.norm");
        }
        return Optional.ofNullable(norm).map(Result::getScore);
    }
}
