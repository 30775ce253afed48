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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pipelined saves from one thread: one {@code saveEventAsync} for each of {@value #ACTORS} actors,
 * then a wait for all of them, against raw jnats {@code publishAsync} of the same number of messages
 * to as many subjects, each with the headers a save carries. Figures are per save, on a private
 * single-node nats-server with file storage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class JetStreamPipelineBenchmark {

    /** How many actors (and raw subjects) one call saves to, one event each. */
    public static final int ACTORS = 1_000;

    private static final String RAW_STREAM = "RAW_PIPELINE_BENCH";

    private NatsServerExtension server;
    private JetStream js;
    private JetStreamEventStore store;
    private final EventCodec codec = new EventCodec();

    private final String[] actors = new String[ACTORS];
    private final long[] versions = new long[ACTORS];
    private final String[] rawSubjects = new String[ACTORS];
    private final long[] rawSequences = new long[ACTORS];
    private final long[] rawVersions = new long[ACTORS];
    private byte[] rawBody;
    private Headers rawHeaders;

    /**
     * Starts the server, creates the store's stream and a raw stream of the same settings, and saves
     * every actor's first event, so that the store knows each actor's latest message as it would
     * after a first save.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new NatsServerExtension();
        server.start();
        Connection connection = server.connect();
        js = connection.jetStream();
        store = JetStreamEventStore.builder(connection).namespace("pipeline-bench").storageType(StorageType.File)
                .build();
        connection.jetStreamManagement().addStream(StreamConfiguration.builder().name(RAW_STREAM)
                .subjects("rawpipe.>").storageType(StorageType.File).replicas(1)
                .duplicateWindow(Duration.ofMinutes(2)).build());
        Event sample = JetStreamBatchBenchmark.event("account-0", 1);
        rawBody = codec.encode(sample);
        rawHeaders = codec.headers(sample);
        for (int i = 0; i < ACTORS; i++) {
            actors[i] = "account-" + i;
            rawSubjects[i] = "rawpipe.account-" + i;
        }
        saveEventAsyncOverAllActors();
        rawPublishAsyncOverAllSubjects();
    }

    /** Removes the server and its store directory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    /** Aether: the next version of each of the {@value #ACTORS} actors with {@code saveEventAsync}, then a wait for all. */
    @Benchmark
    @OperationsPerInvocation(ACTORS)
    public void saveEventAsyncOverAllActors() {
        CompletableFuture<?>[] saves = new CompletableFuture<?>[ACTORS];
        for (int i = 0; i < ACTORS; i++) {
            saves[i] = store.saveEventAsync(JetStreamBatchBenchmark.event(actors[i], ++versions[i]));
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
        @SuppressWarnings("unchecked")
        CompletableFuture<PublishAck>[] acks = new CompletableFuture[ACTORS];
        for (int i = 0; i < ACTORS; i++) {
            long version = ++rawVersions[i];
            Headers headers = new Headers(rawHeaders)
                    .put(EventCodec.VERSION_HEADER, Long.toString(version))
                    .put("Nats-Msg-Id", "account-" + i + ":" + version)
                    .put("Nats-Expected-Last-Subject-Sequence", Long.toString(rawSequences[i]));
            acks[i] = js.publishAsync(NatsMessage.builder().subject(rawSubjects[i]).headers(headers).data(rawBody)
                    .build());
        }
        for (int i = 0; i < ACTORS; i++) {
            rawSequences[i] = acks[i].join().getSeqno();
        }
    }
}
