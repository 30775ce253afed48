package dev.aether.benchmarks;

import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.memory.InMemoryEventStore;
import dev.aether.snapshot.ActorLoader;
import dev.aether.snapshot.LoadedActor;
import dev.aether.snapshot.SnapshotPolicy;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link ActorLoader#load} of an actor with 1,000 events and a snapshot at version
 * {@value #SNAPSHOT_VERSION} next to the loop a caller writes without it, a full replay of the same
 * actor, on the in-memory store and on JetStream (a private single-node nats-server, file storage).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SnapshotLoadBenchmark {

    /** How many events the loaded actor has. */
    public static final int EVENTS = 1000;
    /** The version of the actor's snapshot: the load folds the events after it. */
    public static final int SNAPSHOT_VERSION = 950;

    private static final String ACTOR = "account-loaded";

    /** The state folded from the deposits. */
    public record Balance(long cents, int deposits) {
    }

    /** Which store the actor is loaded from. */
    @Param({"memory", "jetstream"})
    public String store;

    private NatsServerExtension server;
    private Connection connection;
    private ActorLoader<Balance> loader;
    private SnapshotStore snapshots;

    /** Starts the store, saves the actor's events and its snapshot at {@value #SNAPSHOT_VERSION}. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (store.equals("jetstream")) {
            server = new NatsServerExtension();
            server.start();
            connection = server.connect();
            snapshots = JetStreamEventStore.builder(connection).namespace("typed-bench").storageType(StorageType.File)
                    .build();
        } else {
            snapshots = new InMemoryEventStore();
        }
        loader = ActorLoader.builder(snapshots, Balance.class).initialState(id -> new Balance(0, 0))
                .fold(SnapshotLoadBenchmark::fold).policy(SnapshotPolicy.never()).build();
        Balance state = new Balance(0, 0);
        for (int version = 1; version <= EVENTS; version++) {
            Event event = deposit(version);
            snapshots.saveEvent(event);
            state = fold(state, event);
            if (version == SNAPSHOT_VERSION) {
                snapshots.saveSnapshot(loader.snapshotOf(ACTOR, version, state));
            }
        }
    }

    /** Stops the server, when there is one. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private static Event deposit(long version) {
        return Event.builder().eventType("MoneyDeposited").actorId(ACTOR).version(version)
                .data(Map.of("amount", 100, "currency", "EUR", "reference", "benchmark deposit"))
                .correlationId("corr-1").build();
    }

    private static Balance fold(Balance balance, Event event) {
        return new Balance(balance.cents() + ((Number) event.data().get("amount")).longValue(), balance.deposits() + 1);
    }

    /** The snapshot primitive: the snapshot at {@value #SNAPSHOT_VERSION}, then the events after it. */
    @Benchmark
    public LoadedActor<Balance> loadFromSnapshot() {
        return loader.load(ACTOR);
    }

    /** Baseline: every event of the actor, folded from the initial state. */
    @Benchmark
    public Balance fullReplay() {
        List<Event> events = snapshots.getEvents(ACTOR, 0);
        Balance state = new Balance(0, 0);
        for (Event event : events) {
            state = fold(state, event);
        }
        return state;
    }
}
