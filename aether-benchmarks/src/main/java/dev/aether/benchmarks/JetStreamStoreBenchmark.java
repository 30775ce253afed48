package dev.aether.benchmarks;

import dev.aether.Event;
import dev.aether.jetstream.BenchmarkWire;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.OrderedConsumerConfiguration;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link JetStreamEventStore} operations, each beside the raw jnats operation it is built on, on a
 * private single-node nats-server with file storage. Every {@code raw*} method is the baseline of
 * the store method named in {@link BenchmarkReport#BASELINES}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class JetStreamStoreBenchmark {

    /** How many events the read benchmarks read back: above the store's limit for one request per event. */
    public static final int READ_SIZE = 100;
    /** How many events the long-read benchmarks read back. */
    public static final int LONG_READ_SIZE = 1000;

    private static final String RAW_STREAM = "RAW_BENCH";
    private static final String RAW_WRITE_SUBJECT = "raw.writer";
    private static final String RAW_PLAIN_SUBJECT = "raw.plain";
    private static final String RAW_READ_SUBJECT = "raw.reader";
    private static final String RAW_LONG_READ_SUBJECT = "raw.long-reader";

    private NatsServerExtension server;
    private Connection connection;
    private JetStream js;
    private JetStreamManagement jsm;
    private JetStreamEventStore store;

    private final String writeActor = "account-writer";
    private final String readActor = "account-reader";
    private final String longReadActor = "account-long-reader";
    private long writeVersion;
    private long rawWriteSequence;
    private long rawMessageIds;
    private byte[] body;

    /** Starts the server, creates the store's stream and a raw stream of the same settings, and fills both readers. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new NatsServerExtension();
        server.start();
        connection = server.connect();
        js = connection.jetStream();
        jsm = connection.jetStreamManagement();
        store = JetStreamEventStore.builder(connection).namespace("bench").storageType(StorageType.File).build();
        jsm.addStream(StreamConfiguration.builder().name(RAW_STREAM).subjects("raw.>")
                .storageType(StorageType.File).replicas(1).duplicateWindow(Duration.ofMinutes(2)).build());
        body = BenchmarkWire.encode(event(writeActor, 1));
        for (int v = 1; v <= READ_SIZE; v++) {
            store.saveEvent(event(readActor, v));
            js.publish(RAW_READ_SUBJECT, BenchmarkWire.encode(event(readActor, v)));
        }
        for (int v = 1; v <= LONG_READ_SIZE; v++) {
            store.saveEvent(event(longReadActor, v));
            js.publish(RAW_LONG_READ_SUBJECT, BenchmarkWire.encode(event(longReadActor, v)));
        }
    }

    /** Removes the server and its store directory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    /** The event every benchmark saves, so that their figures compare: a deposit with three data fields. */
    static Event event(String actor, long version) {
        return Event.builder().eventType("MoneyDeposited").actorId(actor).version(version)
                .data(Map.of("amount", 100, "currency", "EUR", "reference", "benchmark deposit"))
                .correlationId("corr-1").build();
    }

    /** Aether: save the next version of one actor (the caller-side version comes from a counter). */
    @Benchmark
    public void saveEvent() {
        store.saveEvent(event(writeActor, ++writeVersion));
    }

    /** Raw jnats: publish the same-size JSON with a message id and an expected last subject sequence. */
    @Benchmark
    public PublishAck rawPublishExpectingLastSequence() throws Exception {
        Headers headers = new Headers()
                .put(NatsJetStreamConstants.MSG_ID_HDR, "raw-" + (++rawMessageIds))
                .put(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR, Long.toString(rawWriteSequence));
        PublishAck ack = js.publish(NatsMessage.builder().subject(RAW_WRITE_SUBJECT).headers(headers).data(body).build());
        rawWriteSequence = ack.getSeqno();
        return ack;
    }

    /** Raw jnats: a plain JetStream publish with no headers, the floor of any save. */
    @Benchmark
    public PublishAck rawPublish() throws Exception {
        return js.publish(RAW_PLAIN_SUBJECT, body);
    }

    /** Aether: the latest version of an actor with {@value #READ_SIZE} events. */
    @Benchmark
    public long getLatestVersion() {
        return store.getLatestVersion(readActor);
    }

    /** Raw jnats: the last message of one subject. */
    @Benchmark
    public MessageInfo rawGetLastMessage() throws Exception {
        return jsm.getLastMessage(RAW_STREAM, RAW_READ_SUBJECT);
    }

    /** Aether: read all {@value #READ_SIZE} events of an actor, decoded. */
    @Benchmark
    public List<Event> getEvents() {
        return store.getEvents(readActor, 0);
    }

    /** Raw jnats: the last message of a subject, then its {@value #READ_SIZE} messages one request each, not decoded. */
    @Benchmark
    public void rawGetMessages(Blackhole blackhole) throws Exception {
        MessageInfo last = jsm.getLastMessage(RAW_STREAM, RAW_READ_SUBJECT);
        long sequence = 1;
        while (sequence < last.getSeq()) {
            MessageInfo info = jsm.getNextMessage(RAW_STREAM, sequence, RAW_READ_SUBJECT);
            blackhole.consume(info.getData());
            sequence = info.getSeq() + 1;
        }
        blackhole.consume(last.getData());
    }

    /** Aether: read all {@value #LONG_READ_SIZE} events of an actor, decoded. */
    @Benchmark
    public List<Event> getEventsLong() {
        return store.getEvents(longReadActor, 0);
    }

    /**
     * Raw jnats: the last message of a subject, then its {@value #LONG_READ_SIZE} messages through an
     * ordered consumer filtered on it, not decoded; the consumer is deleted afterwards.
     */
    @Benchmark
    public void rawOrderedConsumerRead(Blackhole blackhole) throws Exception {
        readWithOrderedConsumer(RAW_LONG_READ_SUBJECT, blackhole);
    }

    /**
     * Raw jnats: the {@value #READ_SIZE} messages of {@link #rawGetMessages} through an ordered consumer
     * instead of one request each, to show where a consumer starts to pay.
     */
    @Benchmark
    public void rawOrderedConsumerReadShort(Blackhole blackhole) throws Exception {
        readWithOrderedConsumer(RAW_READ_SUBJECT, blackhole);
    }

    private void readWithOrderedConsumer(String subject, Blackhole blackhole) throws Exception {
        MessageInfo last = jsm.getLastMessage(RAW_STREAM, subject);
        OrderedConsumerContext context = connection.getStreamContext(RAW_STREAM)
                .createOrderedConsumer(new OrderedConsumerConfiguration().filterSubject(subject));
        try (IterableConsumer consumer = context.iterate()) {
            long sequence = 0;
            while (sequence < last.getSeq()) {
                Message message = consumer.nextMessage(Duration.ofSeconds(5));
                sequence = message.metaData().streamSequence();
                blackhole.consume(message.getData());
            }
            jsm.deleteConsumer(RAW_STREAM, consumer.getConsumerName());
        }
    }
}
