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
import io.nats.client.PurgeOptions;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command path of an application (read an actor, decide, save) on three stores in the same run:
 * Aether's {@link JetStreamEventStore}, the raw jnats operation each store call is built on, and an
 * event table in PostgreSQL used through JDBC as a user's own store would use it
 * ({@link JdbcEventTable}).
 *
 * <p>Every trial starts its own nats-server (file storage) or creates its own table, and fills it
 * with the same content: {@link #streamEvents} events of other actors (ten events each), and
 * interleaved among them the measured actors ({@value #ACTOR_EVENTS} events of {@link #ACTOR} and of
 * {@link #SHARED_ACTOR}, {@value #BIG_ACTOR_EVENTS} of {@link #BIG_ACTOR}), so that each measured
 * actor is sparse in the stream, then the first event of each of {@value #WRITER_ACTORS} writer
 * actors. Method names say the peer: {@code raw*} is jnats, {@code jdbc*} is PostgreSQL, the others
 * are Aether; {@link BenchmarkReport} pairs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class CommandPathBenchmark {

    /** Events of other actors in the stream (and the table), besides the measured actors' and the writers' events. */
    @Param({"1000", "10000", "100000"})
    public int streamEvents;

    /** Events of the reloaded actors. */
    public static final int ACTOR_EVENTS = 100;
    /** Events of the actor whose tail and whole history are read. */
    public static final int BIG_ACTOR_EVENTS = 10_000;
    /** Events read by the tail reads. */
    public static final int TAIL = 10;
    /** Actors the save benchmarks write to, round robin, split between the writer threads. */
    public static final int WRITER_ACTORS = 1_000;
    /** Events of each of the other actors that fill the stream. */
    static final int FILLER_EVENTS_PER_ACTOR = 10;

    static final String ACTOR = "account-reloaded";
    static final String SHARED_ACTOR = "account-shared";
    static final String BIG_ACTOR = "account-big";
    static final String NAMESPACE = "command-path";

    /** @return a store with its read cache turned off, so that every read goes to the server */
    static JetStreamEventStore uncachedStore(Connection connection) {
        return store(connection).readCacheEvents(0).build();
    }

    static JetStreamEventStore.Builder store(Connection connection) {
        return JetStreamEventStore.builder(connection).namespace(NAMESPACE).storageType(StorageType.File);
    }

    /** @return the actor that writer {@code index} saves to */
    static String writerActor(int index) {
        return "writer-" + index;
    }

    /** @return the actor that the raw jnats writer {@code index} publishes to */
    static String rawWriterActor(int index) {
        return "raw-writer-" + index;
    }

    /**
     * The content of a stream with {@code fillerEvents} events of other actors, in publication order:
     * the other actors' events round robin, the measured actors' events spread evenly among them.
     */
    static final class Content implements Iterable<Event> {
        private final List<String> actors = new ArrayList<>();
        private final int[] actorAt;
        private final long[] versionAt;

        Content(int fillerEvents) {
            int fillerActors = Math.max(1, fillerEvents / FILLER_EVENTS_PER_ACTOR);
            for (int i = 0; i < fillerActors; i++) {
                actors.add("filler-" + i);
            }
            actors.add(ACTOR);
            actors.add(SHARED_ACTOR);
            actors.add(BIG_ACTOR);
            int[] counts = {fillerEvents, ACTOR_EVENTS, ACTOR_EVENTS, BIG_ACTOR_EVENTS};
            int total = fillerEvents + 2 * ACTOR_EVENTS + BIG_ACTOR_EVENTS;
            actorAt = new int[total];
            versionAt = new long[total];
            int[] taken = new int[counts.length];
            for (int position = 0; position < total; position++) {
                // Take from the group furthest behind its even share, so that every group is spread over the stream.
                int group = -1;
                double least = Double.MAX_VALUE;
                for (int g = 0; g < counts.length; g++) {
                    if (taken[g] < counts[g]) {
                        double key = (taken[g] + 0.5) / counts[g];
                        if (key < least) {
                            least = key;
                            group = g;
                        }
                    }
                }
                int n = taken[group]++;
                if (group == 0) {
                    actorAt[position] = n % fillerActors;
                    versionAt[position] = n / fillerActors + 1;
                } else {
                    actorAt[position] = fillerActors + group - 1;
                    versionAt[position] = n + 1;
                }
            }
        }

        int size() {
            return actorAt.length;
        }

        String actor(int position) {
            return actors.get(actorAt[position]);
        }

        Event event(int position) {
            return JetStreamStoreBenchmark.event(actor(position), versionAt[position]);
        }

        @Override
        public Iterator<Event> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size();
                }

                @Override
                public Event next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return event(next++);
                }
            };
        }
    }

    /**
     * A private nats-server with the store's stream filled with the {@link Content} (raw publishes with
     * every header a save writes, so each message is a valid Aether event), the writer actors' first
     * events, and the store that the warm reads and the saves use, which has read {@link #ACTOR} once.
     */
    @State(Scope.Benchmark)
    public static class Stream {
        NatsServerExtension server;
        Connection connection;
        JetStream js;
        JetStreamManagement jsm;
        JetStreamEventStore store;
        String streamName;
        String actorSubject;
        String sharedSubject;
        String bigSubject;
        /** Stream sequence of {@link #BIG_ACTOR}'s first tail event. */
        long tailSequence;
        final String[] rawWriterSubjects = new String[WRITER_ACTORS];
        final long[] rawWriterSequences = new long[WRITER_ACTORS];
        final long[] rawWriterVersions = new long[WRITER_ACTORS];
        final long[] writerVersions = new long[WRITER_ACTORS];
        byte[] rawWriterBody;
        Headers rawWriterHeaders;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws Exception {
            int filler = Integer.parseInt(params.getParam("streamEvents"));
            server = new NatsServerExtension();
            server.start();
            connection = server.connect();
            js = connection.jetStream();
            jsm = connection.jetStreamManagement();
            store = store(connection).build();
            streamName = store.streamName();
            actorSubject = subject(ACTOR);
            sharedSubject = subject(SHARED_ACTOR);
            bigSubject = subject(BIG_ACTOR);
            fill(new Content(filler));
            for (int i = 0; i < WRITER_ACTORS; i++) {
                rawWriterSubjects[i] = subject(rawWriterActor(i));
            }
            Event rawWriterEvent = JetStreamStoreBenchmark.event(rawWriterActor(0), 1);
            rawWriterBody = BenchmarkWire.encode(rawWriterEvent);
            rawWriterHeaders = BenchmarkWire.headers(rawWriterEvent);
            CompletableFuture<?>[] saves = new CompletableFuture<?>[WRITER_ACTORS];
            for (int i = 0; i < WRITER_ACTORS; i++) {
                saves[i] = store.saveEventAsync(JetStreamStoreBenchmark.event(writerActor(i), ++writerVersions[i]));
            }
            CompletableFuture.allOf(saves).join();
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>(WRITER_ACTORS);
            for (int i = 0; i < WRITER_ACTORS; i++) {
                acks.add(js.publishAsync(rawWriterMessage(i)));
            }
            for (int i = 0; i < WRITER_ACTORS; i++) {
                rawWriterSequences[i] = acks.get(i).join().getSeqno();
            }
            if (store.getEvents(ACTOR, 0).size() != ACTOR_EVENTS) {
                throw new IllegalStateException("the stream was not filled as planned");
            }
            System.out.printf("%n[stream %s: %d messages, %,d bytes]%n", streamName,
                    jsm.getStreamInfo(streamName).getStreamState().getMsgCount(),
                    jsm.getStreamInfo(streamName).getStreamState().getByteCount());
        }

        String subject(String actor) {
            return BenchmarkWire.subject(NAMESPACE, actor);
        }

        /** The next raw writer message of writer {@code i}: the headers of a save, its version, id and expected sequence. */
        NatsMessage rawWriterMessage(int i) {
            long version = ++rawWriterVersions[i];
            Headers headers = new Headers(rawWriterHeaders)
                    .put(BenchmarkWire.VERSION_HEADER, Long.toString(version))
                    .put(NatsJetStreamConstants.MSG_ID_HDR, BenchmarkWire.messageId(rawWriterActor(i), version))
                    .put(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR, Long.toString(rawWriterSequences[i]));
            return NatsMessage.builder().subject(rawWriterSubjects[i]).headers(headers).data(rawWriterBody).build();
        }

        /**
         * Publishes the content in order, asynchronously in windows, each message with the headers a
         * save writes; the stream is empty, so message {@code i} gets sequence {@code i + 1}, which
         * gives every expected last subject sequence in advance. An ack at another sequence fails the set-up.
         */
        private void fill(Content content) {
            Map<String, Long> lastSequence = new HashMap<>();
            List<CompletableFuture<PublishAck>> window = new ArrayList<>();
            int windowStart = 0;
            for (int i = 0; i < content.size(); i++) {
                Event event = content.event(i);
                long sequence = i + 1;
                Headers headers = BenchmarkWire.headers(event)
                        .put(NatsJetStreamConstants.MSG_ID_HDR, BenchmarkWire.messageId(event.actorId(), event.version()))
                        .put(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR,
                                Long.toString(lastSequence.getOrDefault(event.actorId(), 0L)));
                lastSequence.put(event.actorId(), sequence);
                if (event.actorId().equals(BIG_ACTOR) && event.version() == BIG_ACTOR_EVENTS - TAIL + 1) {
                    tailSequence = sequence;
                }
                window.add(js.publishAsync(NatsMessage.builder().subject(subject(event.actorId())).headers(headers)
                        .data(BenchmarkWire.encode(event)).build()));
                if (window.size() == 2_000 || i == content.size() - 1) {
                    for (int w = 0; w < window.size(); w++) {
                        long stored = window.get(w).join().getSeqno();
                        if (stored != windowStart + w + 1) {
                            throw new IllegalStateException("message " + (windowStart + w) + " stored at sequence "
                                    + stored + ", expected " + (windowStart + w + 1));
                        }
                    }
                    windowStart += window.size();
                    window.clear();
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            server.close();
        }
    }

    /** A store that reads without a cache (its read cache off). */
    @State(Scope.Thread)
    public static class Uncached {
        JetStreamEventStore store;
        private Connection connection;

        @Setup(Level.Trial)
        public void setUp(Stream stream) {
            connection = stream.connection;
            store = uncachedStore(connection);
        }
    }

    /**
     * Another process: a store on its own connection that saves the next event of {@link #SHARED_ACTOR}
     * before each invocation. The actor is then purged down to its last {@value #ACTOR_EVENTS}
     * messages, so that the reload always reads {@value #ACTOR_EVENTS} events instead of one more per
     * invocation (the stream denies deletes of single messages, not purges).
     */
    @State(Scope.Thread)
    public static class OtherWriter {
        private JetStreamEventStore other;
        private Stream stream;
        private long version = ACTOR_EVENTS;

        @Setup(Level.Trial)
        public void setUp(Stream stream) {
            this.stream = stream;
            other = store(stream.server.connect()).build();
            stream.store.getEvents(SHARED_ACTOR, 0);
        }

        @Setup(Level.Invocation)
        public void saveOneMore() throws Exception {
            other.saveEvent(JetStreamStoreBenchmark.event(SHARED_ACTOR, ++version));
            stream.jsm.purgeStream(stream.streamName,
                    PurgeOptions.builder().subject(stream.sharedSubject).keep(ACTOR_EVENTS).build());
        }
    }

    /** A writer thread's share of the {@value #WRITER_ACTORS} writer actors, taken round robin. */
    @State(Scope.Thread)
    public static class Writer {
        private final List<Integer> actors = new ArrayList<>();
        private int next;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            for (int i = thread.getThreadIndex(); i < WRITER_ACTORS; i += thread.getThreadCount()) {
                actors.add(i);
            }
        }

        int nextActor() {
            int actor = actors.get(next);
            next = (next + 1) % actors.size();
            return actor;
        }
    }

    /**
     * The event table, created for this trial under a unique name and filled with the same
     * {@link Content} and writer actors' first events as the stream; dropped at the end.
     */
    @State(Scope.Benchmark)
    public static class Table {
        JdbcEventTable table;
        private java.sql.Connection admin;
        final long[] writerVersions = new long[WRITER_ACTORS];

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws Exception {
            String url = JdbcEventTable.url();
            JdbcEventTable.unreachable(url).ifPresent(reason -> {
                System.err.println("JDBC PEER NOT MEASURED: " + reason);
                throw new IllegalStateException("JDBC peer not measured: " + reason
                        + "; start PostgreSQL there or set " + JdbcEventTable.URL_ENV);
            });
            int filler = Integer.parseInt(params.getParam("streamEvents"));
            admin = JdbcEventTable.connect(url);
            table = new JdbcEventTable("aether_bench_events_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis());
            table.create(admin);
            List<Event> writers = new ArrayList<>(WRITER_ACTORS);
            for (int i = 0; i < WRITER_ACTORS; i++) {
                writers.add(JetStreamStoreBenchmark.event(writerActor(i), ++writerVersions[i]));
            }
            table.copy(admin, new Content(filler).iterator());
            table.copy(admin, writers.iterator());
            System.out.printf("%n[table %s, synchronous_commit=%s]%n", table.name(), JdbcEventTable.synchronousCommit(url));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            table.drop(admin);
            admin.close();
        }
    }

    /** One thread's own database connection (auto-commit), as a pool would lend it. */
    @State(Scope.Thread)
    public static class Session {
        java.sql.Connection connection;

        @Setup(Level.Trial)
        public void setUp(Table table) throws SQLException {
            connection = JdbcEventTable.connect(JdbcEventTable.url());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            connection.close();
        }
    }

    /** Another process on its own connection: inserts the next event of {@link #SHARED_ACTOR} before each invocation, and deletes its oldest so it keeps {@value #ACTOR_EVENTS}. */
    @State(Scope.Thread)
    public static class OtherJdbcWriter {
        private java.sql.Connection connection;
        private Table table;
        private long version = ACTOR_EVENTS;

        @Setup(Level.Trial)
        public void setUp(Table table) throws SQLException {
            this.table = table;
            connection = JdbcEventTable.connect(JdbcEventTable.url());
        }

        @Setup(Level.Invocation)
        public void saveOneMore() throws SQLException {
            table.table.save(connection, JetStreamStoreBenchmark.event(SHARED_ACTOR, ++version));
            table.table.deleteUpTo(connection, SHARED_ACTOR, version - ACTOR_EVENTS);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            connection.close();
        }
    }

    // ---- the latest version ----

    /** Aether: the latest version of a {@value #ACTOR_EVENTS}-event actor. */
    @Benchmark
    public long getLatestVersion(Stream stream) {
        return stream.store.getLatestVersion(ACTOR);
    }

    /** Raw jnats: the last message of the actor's subject (also the floor of a cached reload). */
    @Benchmark
    public MessageInfo rawGetLastMessage(Stream stream) throws Exception {
        return stream.jsm.getLastMessage(stream.streamName, stream.actorSubject);
    }

    /** JDBC: {@code select max(version)} of the actor. */
    @Benchmark
    public long jdbcLatestVersion(Table table, Session session) throws SQLException {
        return table.table.latestVersion(session.connection, ACTOR);
    }

    // ---- reloads of a 100-event actor ----

    /** Aether: all events of the actor, read again by the store that read them before, the actor unchanged. */
    @Benchmark
    public List<Event> reloadWarm(Stream stream) {
        return stream.store.getEvents(ACTOR, 0);
    }

    /** Aether: all events of the actor, read by a store that has none of them (see {@link Uncached}). */
    @Benchmark
    public List<Event> reloadCold(Uncached uncached) {
        return uncached.store.getEvents(ACTOR, 0);
    }

    /** Raw jnats: the last message, then the actor's {@value #ACTOR_EVENTS} messages through an ordered consumer, not decoded. */
    @Benchmark
    public void rawOrderedConsumerRead(Stream stream, Blackhole blackhole) throws Exception {
        readWithOrderedConsumer(stream, stream.actorSubject, blackhole);
    }

    /** JDBC: the actor's rows in version order, mapped to events (warm and cold are the same query). */
    @Benchmark
    public List<Event> jdbcReload(Table table, Session session) throws SQLException {
        return table.table.eventsAfter(session.connection, ACTOR, 0);
    }

    /** Aether: all events of the actor after another store saved one more (see {@link OtherWriter}). */
    @Benchmark
    public List<Event> reloadAfterOtherWriter(Stream stream, OtherWriter other) {
        return stream.store.getEvents(SHARED_ACTOR, 0);
    }

    /** JDBC: the actor's rows after another connection inserted one more (see {@link OtherJdbcWriter}). */
    @Benchmark
    public List<Event> jdbcReloadAfterOtherWriter(Table table, Session session, OtherJdbcWriter other) throws SQLException {
        return table.table.eventsAfter(session.connection, SHARED_ACTOR, 0);
    }

    // ---- the tail and the whole of a 10,000-event actor ----

    /** Aether: the last {@value #TAIL} events of the big actor, uncached. */
    @Benchmark
    public List<Event> tail(Uncached uncached) {
        return uncached.store.getEvents(BIG_ACTOR, BIG_ACTOR_EVENTS - TAIL + 1);
    }

    /** Raw jnats: the {@value #TAIL} messages from their known first sequence, one message-get request ({@code next_by_subj}) each. */
    @Benchmark
    public void rawTailGets(Stream stream, Blackhole blackhole) throws Exception {
        long sequence = stream.tailSequence;
        for (int i = 0; i < TAIL; i++) {
            MessageInfo info = stream.jsm.getNextMessage(stream.streamName, sequence, stream.bigSubject);
            blackhole.consume(info.getData());
            sequence = info.getSeq() + 1;
        }
    }

    /** Raw jnats: the {@value #TAIL} messages through an ordered consumer started at their known first sequence. */
    @Benchmark
    public void rawTailOrderedConsumer(Stream stream, Blackhole blackhole) throws Exception {
        OrderedConsumerContext context = stream.connection.getStreamContext(stream.streamName)
                .createOrderedConsumer(new OrderedConsumerConfiguration().filterSubject(stream.bigSubject)
                        .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(stream.tailSequence));
        try (IterableConsumer consumer = context.iterate()) {
            for (int i = 0; i < TAIL; i++) {
                blackhole.consume(next(consumer).getData());
            }
            stream.jsm.deleteConsumer(stream.streamName, consumer.getConsumerName());
        }
    }

    /** JDBC: the rows above version {@code 10,000 - 10}, mapped to events. */
    @Benchmark
    public List<Event> jdbcTail(Table table, Session session) throws SQLException {
        return table.table.eventsAfter(session.connection, BIG_ACTOR, BIG_ACTOR_EVENTS - TAIL);
    }

    /** Aether: all {@value #BIG_ACTOR_EVENTS} events of the big actor, uncached, decoded. */
    @Benchmark
    public List<Event> wholeActor(Uncached uncached) {
        return uncached.store.getEvents(BIG_ACTOR, 0);
    }

    /** Raw jnats: the last message, then the big actor's messages through an ordered consumer, not decoded. */
    @Benchmark
    public void rawWholeActor(Stream stream, Blackhole blackhole) throws Exception {
        readWithOrderedConsumer(stream, stream.bigSubject, blackhole);
    }

    /** JDBC: all the big actor's rows, mapped to events. */
    @Benchmark
    public List<Event> jdbcWholeActor(Table table, Session session) throws SQLException {
        return table.table.eventsAfter(session.connection, BIG_ACTOR, 0);
    }

    // ---- saves over 1,000 actors, one writer and four ----

    /** Aether: {@code saveEvent} of the next version of the thread's next writer actor. */
    @Benchmark
    public void saveEvent(Stream stream, Writer writer) {
        int i = writer.nextActor();
        stream.store.saveEvent(JetStreamStoreBenchmark.event(writerActor(i), ++stream.writerVersions[i]));
    }

    /** Aether: {@link #saveEvent} from four threads at once, each on its own quarter of the actors. */
    @Benchmark
    @Threads(4)
    public void saveEventFourWriters(Stream stream, Writer writer) {
        saveEvent(stream, writer);
    }

    /** Raw jnats: a synchronous publish of a pre-encoded body with the headers of a save and the expected last subject sequence. */
    @Benchmark
    public PublishAck rawPublishExpectingLastSequence(Stream stream, Writer writer) throws Exception {
        int i = writer.nextActor();
        PublishAck ack = stream.js.publish(stream.rawWriterMessage(i));
        stream.rawWriterSequences[i] = ack.getSeqno();
        return ack;
    }

    /** Raw jnats: {@link #rawPublishExpectingLastSequence} from four threads at once. */
    @Benchmark
    @Threads(4)
    public PublishAck rawPublishFourWriters(Stream stream, Writer writer) throws Exception {
        return rawPublishExpectingLastSequence(stream, writer);
    }

    /** JDBC: one committed {@code INSERT} of the next version of the thread's next writer actor. */
    @Benchmark
    public void jdbcInsert(Table table, Session session, Writer writer) throws SQLException {
        int i = writer.nextActor();
        table.table.save(session.connection, JetStreamStoreBenchmark.event(writerActor(i), ++table.writerVersions[i]));
    }

    /** JDBC: {@link #jdbcInsert} from four threads at once, each on its own connection. */
    @Benchmark
    @Threads(4)
    public void jdbcInsertFourWriters(Table table, Session session, Writer writer) throws SQLException {
        jdbcInsert(table, session, writer);
    }

    private static void readWithOrderedConsumer(Stream stream, String subject, Blackhole blackhole) throws Exception {
        MessageInfo last = stream.jsm.getLastMessage(stream.streamName, subject);
        OrderedConsumerContext context = stream.connection.getStreamContext(stream.streamName)
                .createOrderedConsumer(new OrderedConsumerConfiguration().filterSubject(subject));
        try (IterableConsumer consumer = context.iterate()) {
            long sequence = 0;
            while (sequence < last.getSeq()) {
                Message message = next(consumer);
                sequence = message.metaData().streamSequence();
                blackhole.consume(message.getData());
            }
            stream.jsm.deleteConsumer(stream.streamName, consumer.getConsumerName());
        }
    }

    private static Message next(IterableConsumer consumer) throws Exception {
        Message message = consumer.nextMessage(Duration.ofSeconds(5));
        if (message == null) {
            throw new IllegalStateException("no message within 5 s from the ordered consumer");
        }
        return message;
    }
}
