package dev.aether.benchmarks;

import dev.aether.Event;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.jetstream.BenchmarkWire;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.jetstream.JetStreamEventSubscriptions;
import dev.aether.jetstream.SubjectLayout;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A new durable subscription catching up on {@value #EVENTS} stored events (1,000 actors of 100
 * events), unpartitioned and with {@value #PARTITIONS} partitions owned by this process, beside a raw
 * jnats pull consumer reading the same stream, each run to the last event. The same events are also
 * stored in a second namespace whose stream has the partitioned subject layout, read with
 * {@value #PARTITIONS} partitions: there each partition's consumer is delivered only its partition's events.
 * Scores are time per event; {@link CatchUpReport} turns them into events per second and ratios.
 * Every invocation reads through a consumer of its own, created for it and deleted afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class SubscriptionCatchUpBenchmark {

    /** Events in the stream, all read by each invocation. */
    public static final int EVENTS = 100_000;
    /** Events per pull of the raw consumers, as a hand-written reader would choose. */
    public static final int RAW_FETCH_BATCH = 256;
    /** Partitions of {@link #partitionedCatchUp}. */
    public static final int PARTITIONS = 4;
    private static final int ACTORS = 1_000;
    private static final String NAMESPACE = "catch-up";
    /** The namespace of the same events on a stream of the partitioned subject layout. */
    private static final String PARTITIONED_LAYOUT_NAMESPACE = "catch-up-partitioned-layout";

    /** The subscriptions' fetch batch ({@link JetStreamEventSubscriptions.Builder#fetchBatch(int)}); raw consumers ignore it. */
    @Param({"64", "128"})
    public int fetchBatch;

    private NatsServerExtension server;
    private Connection connection;
    private JetStreamManagement jsm;
    private JetStreamEventSubscriptions subscriptions;
    private String streamName;
    private String partitionedLayoutStreamName;
    private final AtomicLong consumers = new AtomicLong();
    private String consumerName;

    /** Starts the server and saves the events, pipelined. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new NatsServerExtension();
        server.start();
        connection = server.connect();
        jsm = connection.jetStreamManagement();
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(NAMESPACE)
                .storageType(StorageType.File).build();
        streamName = store.streamName();
        JetStreamEventStore partitionedLayout = JetStreamEventStore.builder(connection)
                .namespace(PARTITIONED_LAYOUT_NAMESPACE).storageType(StorageType.File)
                .subjectLayout(SubjectLayout.PARTITIONED).build();
        partitionedLayoutStreamName = partitionedLayout.streamName();
        saveAll(store);
        saveAll(partitionedLayout);
        subscriptions = JetStreamEventSubscriptions.builder(connection).fetchBatch(fetchBatch).build();
    }

    private static void saveAll(JetStreamEventStore store) {
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (int version = 1; version <= EVENTS / ACTORS; version++) {
            for (int actor = 0; actor < ACTORS; actor++) {
                window.add(store.saveEventAsync(JetStreamStoreBenchmark.event("account-" + actor, version)));
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
            window.clear();
        }
    }

    /** Names the consumer of the next invocation. */
    @Setup(Level.Invocation)
    public void nextConsumer() {
        consumerName = "catch-up-" + consumers.incrementAndGet();
    }

    /** Deletes the invocation's consumers: the one of an unpartitioned read, or one per partition. */
    @TearDown(Level.Invocation)
    public void deleteConsumers() throws Exception {
        for (String stream : List.of(streamName, partitionedLayoutStreamName)) {
            for (String name : jsm.getConsumerNames(stream)) {
                if (name.equals(consumerName) || name.startsWith(consumerName + "-p")) {
                    jsm.deleteConsumer(stream, name);
                }
            }
        }
    }

    /** Stops the subscriptions and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
        subscriptions.close();
        server.close();
    }

    /** Aether: a durable subscription from the beginning, its handler counting events, until all arrived. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void subscriptionCatchUp(Blackhole blackhole) throws Exception {
        catchUp(blackhole, NAMESPACE, 1);
    }

    /**
     * Aether: the same with {@value #PARTITIONS} partitions, all owned by this process (each partition's
     * consumer reads the whole stream and passes over the other partitions' events).
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void partitionedCatchUp(Blackhole blackhole) throws Exception {
        catchUp(blackhole, NAMESPACE, PARTITIONS);
    }

    /**
     * Aether: {@value #PARTITIONS} partitions, all owned by this process, on the stream of the partitioned
     * subject layout (each partition's consumer filters on its hash bits and is delivered only its events).
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void partitionedLayoutCatchUp(Blackhole blackhole) throws Exception {
        catchUp(blackhole, PARTITIONED_LAYOUT_NAMESPACE, PARTITIONS);
    }

    private void catchUp(Blackhole blackhole, String namespaceRead, int partitions) throws Exception {
        CountDownLatch all = new CountDownLatch(EVENTS);
        Subscription subscription = subscriptions.subscribe(namespaceRead, SubscriptionFilter.all(), (namespace, event) -> {
            blackhole.consume(event);
            all.countDown();
        }, SubscriptionOptions.builder().durableName(consumerName).startPosition(StartPosition.beginning())
                .partitions(partitions).build());
        try {
            if (!all.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(all.getCount() + " events never arrived");
            }
        } finally {
            subscription.close();
        }
    }

    /** Raw jnats: a durable pull consumer fetching {@value #RAW_FETCH_BATCH} at a time, decoding and acknowledging each message. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void rawPullDecoding(Blackhole blackhole) throws Exception {
        rawPull(message -> blackhole.consume(BenchmarkWire.decodeMessage(message.getData())));
    }

    /** Raw jnats: the same consumer, acknowledging each message without decoding it. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void rawPullNotDecoding(Blackhole blackhole) throws Exception {
        rawPull(message -> blackhole.consume(message.getData()));
    }

    private void rawPull(java.util.function.Consumer<Message> handle) throws Exception {
        jsm.addOrUpdateConsumer(streamName, ConsumerConfiguration.builder().durable(consumerName)
                .deliverPolicy(DeliverPolicy.All).ackPolicy(AckPolicy.Explicit).build());
        ConsumerContext consumer = connection.getConsumerContext(streamName, consumerName);
        int read = 0;
        while (read < EVENTS) {
            try (FetchConsumer fetch = consumer.fetch(FetchConsumeOptions.builder().maxMessages(RAW_FETCH_BATCH)
                    .expiresIn(5_000).build())) {
                Message message;
                while ((message = fetch.nextMessage()) != null) {
                    handle.accept(message);
                    message.ack();
                    read++;
                }
            }
        }
    }
}
