package dev.aether.benchmarks;

import dev.aether.Event;
import dev.aether.jetstream.EventCodec;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ten events of one actor saved as one batch ({@code saveEvents}) against the same ten saved one
 * {@code saveEvent} each, and against the raw jnats publish of the same batch message. Every figure
 * is per event ({@value #BATCH} operations per call), on a private single-node nats-server with file
 * storage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class JetStreamBatchBenchmark {

    /** How many events one call saves. */
    public static final int BATCH = 10;

    private static final String RAW_STREAM = "RAW_BATCH_BENCH";
    private static final String RAW_SUBJECT = "rawbatch.writer";

    private NatsServerExtension server;
    private JetStream js;
    private JetStreamEventStore store;
    private final EventCodec codec = new EventCodec();

    private long batchVersion;
    private long singleVersion;
    private long rawSequence;
    private long rawVersion;
    private byte[] rawBody;
    private Headers rawHeaders;

    /** Starts the server, creates the store's stream and a raw stream of the same settings. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new NatsServerExtension();
        server.start();
        Connection connection = server.connect();
        js = connection.jetStream();
        store = JetStreamEventStore.builder(connection).namespace("batch-bench").storageType(StorageType.File).build();
        connection.jetStreamManagement().addStream(StreamConfiguration.builder().name(RAW_STREAM)
                .subjects("rawbatch.>").storageType(StorageType.File).replicas(1)
                .duplicateWindow(Duration.ofMinutes(2)).build());
        List<Event> batch = batch("account-raw", 1);
        rawBody = codec.encode(batch);
        rawHeaders = codec.headers(batch);
    }

    /** Removes the server and its store directory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    static Event event(String actor, long version) {
        return Event.builder().eventType("MoneyDeposited").actorId(actor).version(version)
                .data(Map.of("amount", 100, "currency", "EUR", "reference", "benchmark deposit"))
                .correlationId("corr-1").build();
    }

    private static List<Event> batch(String actor, long firstVersion) {
        List<Event> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            events.add(event(actor, firstVersion + i));
        }
        return events;
    }

    /** Aether: the next ten versions of one actor in one {@code saveEvents} call, one message. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void saveEventsOfTen() {
        store.saveEvents(batch("account-batch", batchVersion + 1));
        batchVersion += BATCH;
    }

    /** Aether: the next ten versions of one actor, one {@code saveEvent} call (one round trip) each. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void saveEventTenTimes() {
        for (int i = 0; i < BATCH; i++) {
            store.saveEvent(event("account-single", ++singleVersion));
        }
    }

    /**
     * Raw jnats: one publish of a pre-encoded ten-event body with the headers a batch carries, a
     * message id and the expected last subject sequence.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public PublishAck rawPublishBatchOfTen() throws Exception {
        Headers headers = new Headers(rawHeaders)
                .put("Nats-Msg-Id", "account-raw:" + (rawVersion + 1))
                .put("Nats-Expected-Last-Subject-Sequence", Long.toString(rawSequence));
        rawVersion += BATCH;
        PublishAck ack = js.publish(NatsMessage.builder().subject(RAW_SUBJECT).headers(headers).data(rawBody).build());
        rawSequence = ack.getSeqno();
        return ack;
    }
}
