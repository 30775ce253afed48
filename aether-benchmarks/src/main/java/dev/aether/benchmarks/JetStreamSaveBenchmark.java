package dev.aether.benchmarks;

import dev.aether.Event;
import dev.aether.jetstream.BenchmarkWire;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Saves of many events from one thread, each figure per event, on a private single-node nats-server
 * with file storage:
 * <ul>
 *   <li>ten events of one actor as one batch ({@code saveEvents}) against the same ten saved one
 *       {@code saveEvent} each, and against the raw jnats publish of the same batch message;</li>
 *   <li>pipelined saves: one {@code saveEventAsync} for each of {@value #ACTORS} actors, then a wait
 *       for all, against raw jnats {@code publishAsync} to as many subjects with the headers a save
 *       carries.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class JetStreamSaveBenchmark {

    /** How many events one batch holds. */
    public static final int BATCH = 10;
    /** How many actors (and raw subjects) one pipelined call saves to, one event each. */
    public static final int ACTORS = 1_000;

    private static final String RAW_STREAM = "RAW_SAVE_BENCH";
    private static final String RAW_BATCH_SUBJECT = "rawsave.batch";

    private NatsServerExtension server;
    private JetStream js;
    private JetStreamEventStore store;

    private long batchVersion;
    private long singleVersion;
    private long rawBatchSequence;
    private long rawBatchVersion;
    private byte[] rawBatchBody;
    private Headers rawBatchHeaders;

    private final String[] actors = new String[ACTORS];
    private final long[] versions = new long[ACTORS];
    private final String[] rawSubjects = new String[ACTORS];
    private final long[] rawSequences = new long[ACTORS];
    private final long[] rawVersions = new long[ACTORS];
    private byte[] rawBody;
    private Headers rawHeaders;

    /**
     * Starts the server, creates the store's stream and a raw stream of the same settings, and saves
     * the first event of each of the {@value #ACTORS} actors, so that the store knows their latest
     * messages as it would after a first save.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new NatsServerExtension();
        server.start();
        Connection connection = server.connect();
        js = connection.jetStream();
        store = JetStreamEventStore.builder(connection).namespace("save-bench").storageType(StorageType.File).build();
        connection.jetStreamManagement().addStream(StreamConfiguration.builder().name(RAW_STREAM)
                .subjects("rawsave.>").storageType(StorageType.File).replicas(1)
                .duplicateWindow(Duration.ofMinutes(2)).build());
        List<Event> batch = batch("account-raw", 1);
        rawBatchBody = BenchmarkWire.encode(batch);
        rawBatchHeaders = BenchmarkWire.headers(batch);
        Event single = JetStreamStoreBenchmark.event("account-0", 1);
        rawBody = BenchmarkWire.encode(single);
        rawHeaders = BenchmarkWire.headers(single);
        for (int i = 0; i < ACTORS; i++) {
            actors[i] = "account-" + i;
            rawSubjects[i] = "rawsave.account-" + i;
        }
        saveEventAsyncOverAllActors();
        rawPublishAsyncOverAllSubjects();
    }

    /** Removes the server and its store directory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    private static List<Event> batch(String actor, long firstVersion) {
        List<Event> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            events.add(JetStreamStoreBenchmark.event(actor, firstVersion + i));
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
            store.saveEvent(JetStreamStoreBenchmark.event("account-single", ++singleVersion));
        }
    }

    /**
     * Raw jnats: one publish of a pre-encoded ten-event body with the headers a batch carries, a
     * message id and the expected last subject sequence.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public PublishAck rawPublishBatchOfTen() throws Exception {
        Headers headers = new Headers(rawBatchHeaders)
                .put(NatsJetStreamConstants.MSG_ID_HDR, "account-raw:" + (rawBatchVersion + 1))
                .put(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR, Long.toString(rawBatchSequence));
        rawBatchVersion += BATCH;
        PublishAck ack = js.publish(NatsMessage.builder().subject(RAW_BATCH_SUBJECT).headers(headers)
                .data(rawBatchBody).build());
        rawBatchSequence = ack.getSeqno();
        return ack;
    }

    /** Aether: the next version of each of the {@value #ACTORS} actors with {@code saveEventAsync}, then a wait for all. */
    @Benchmark
    @OperationsPerInvocation(ACTORS)
    public void saveEventAsyncOverAllActors() {
        CompletableFuture<?>[] saves = new CompletableFuture<?>[ACTORS];
        for (int i = 0; i < ACTORS; i++) {
            saves[i] = store.saveEventAsync(JetStreamStoreBenchmark.event(actors[i], ++versions[i]));
        }
        CompletableFuture.allOf(saves).join();
    }

    /**
     * Raw jnats: {@code publishAsync} of a pre-encoded body of the same size to each of {@value #ACTORS}
     * subjects, with the headers a save carries (event id, type, version, content type, message id,
     * expected last subject sequence), then a wait for all acks.
     */
    @Benchmark
    @OperationsPerInvocation(ACTORS)
    public void rawPublishAsyncOverAllSubjects() {
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(ACTORS);
        for (int i = 0; i < ACTORS; i++) {
            long version = ++rawVersions[i];
            Headers headers = new Headers(rawHeaders)
                    .put(BenchmarkWire.VERSION_HEADER, Long.toString(version))
                    .put(NatsJetStreamConstants.MSG_ID_HDR, "account-" + i + ":" + version)
                    .put(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR, Long.toString(rawSequences[i]));
            acks.add(js.publishAsync(NatsMessage.builder().subject(rawSubjects[i]).headers(headers).data(rawBody)
                    .build()));
        }
        for (int i = 0; i < ACTORS; i++) {
            rawSequences[i] = acks.get(i).join().getSeqno();
        }
    }
}
