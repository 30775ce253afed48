package dev.aether.jetstream;

import dev.aether.ActorPartitions;
import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.LagAware;
import dev.aether.NamespacePattern;
import dev.aether.PartitionAware;
import dev.aether.PermissionDeniedException;
import dev.aether.ParkedEvent;
import dev.aether.ParkedEvents;
import dev.aether.StartPosition;
import dev.aether.StoreUnavailableException;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionLag;
import dev.aether.SubscriptionOptions;
import dev.aether.spi.ActorOrderedDelivery;
import dev.aether.spi.SubscribeArguments;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.StreamContext;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;

import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@link EventSubscriptions} read straight from the namespace streams of {@link JetStreamEventStore}:
 * every stored event reaches them, with no extra publish.
 *
 * <pre>{@code
 * JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(connection).build();
 * Subscription s = subscriptions.subscribe("tenant-a.*", SubscriptionFilter.all(), handler,
 *         SubscriptionOptions.builder().durableName("billing").startPosition(StartPosition.beginning()).build());
 * }</pre>
 *
 * <p><b>How it reads.</b> A subscription has one pull consumer on each stream whose namespace matches
 * its pattern: durable, named after {@link SubscriptionOptions#durableName()}, so the server keeps its
 * position and processes sharing the name share the work; or ephemeral when there is no durable name.
 * Streams of matching namespaces created later are found by a scan every {@link Builder#discoveryInterval}
 * and read from their first event. {@link StartPosition#at(long)} is a sequence in each stream read.
 * Each consumer is read by a thread of its own with pull requests of {@link Builder#fetchBatch} events
 * that expire after {@link Builder#fetchExpiry} (5 s by default, with idle heartbeats), so after a
 * server restart or a consumer leader change the subscription pulls again within seconds; a consumer
 * the server lost is created again.
 *
 * <p><b>Delivery.</b> At least once. The events of one stored message (a batch saved with
 * {@link dev.aether.EventStore#saveEvents(List)}) reach the handler one by one in version order, each
 * with its own retries and parking, and the message is acknowledged once each of them is handled or
 * parked; when a message comes again, its events come again from the first. A single event is
 * acknowledged after the handler returns. A failing
 * event is retried in the subscriber after {@link SubscriptionOptions#backoffAfter(int)} (the
 * server's ack deadline of every event waiting in the subscriber is extended every third of
 * {@link Builder#ackWait}, so it does not redeliver them elsewhere), while later events of the
 * same actor wait behind it and other actors' events flow on; the delivery count includes the
 * server's earlier deliveries. After {@link SubscriptionOptions#maxDeliveries()} the event is parked:
 * published, with its failure in headers, to the parking stream {@code <prefix>__PARKED} on subject
 * {@code <prefix>_parked.<subscription>.<namespace>}, then acknowledged. If parking fails the event's
 * message is not acknowledged and comes back later. List, replay and discard parked events through
 * {@link ParkedEvents}, or read them with any NATS tool. Per-actor order holds within one subscriber process; processes sharing a durable name
 * may handle one actor's events concurrently, unless the subscription is partitioned.
 * An event whose predecessor (the actor's previous message) this
 * process has not handed on waits, up to 3 s, for the group's ack floor to pass it (another process handling it);
 * after that the predecessor is read from the stream and handled here first (its delivery was lost), and its late
 * delivery is acknowledged without handling it again.
 *
 * <p><b>Partitions.</b> With {@link SubscriptionOptions#partitions()} {@code n > 1} every actor belongs to
 * partition {@link dev.aether.ActorPartitions#partitionOf} and each stream gets {@code n} durable
 * consumers {@code <durable>-p<i>-of-<n>}, all created by the first subscriber so they start together.
 * Each partition is read by the one member of the group holding its lease in the KV bucket
 * {@code <prefix>_leases} (created on the first partitioned subscription, with
 * {@link Builder#partitionLeaseTtl} as max age, beside {@code <prefix>_handed}, where owners record per
 * actor the last event they dealt with, for the next owner); a partition consumer reads the whole stream and
 * acknowledges other partitions' events unhandled. Partitions are spread evenly over live members
 * ({@link PartitionCoordinator}); a member that closes hands its partitions over at once, after
 * acknowledging what it handled; a dead member's move once its lease expires. So one actor's events
 * are handled one at a time, in order, across the whole group (a duplicate may come again, never
 * after a later event). The lag of a partitioned subscription counts the consumers of the partitions
 * this process owns, whose pending counts include other partitions' events.
 *
 * <p>The caller owns the {@link Connection}; {@link #close()} stops every subscription this object started.
 */
public final class JetStreamEventSubscriptions implements EventSubscriptions, ParkedEvents, AutoCloseable {

    /** Header: the subscription that parked the event. */
    public static final String PARKED_SUBSCRIPTION_HEADER = "Aether-Parked-Subscription";
    /** Header: the event's namespace. */
    public static final String PARKED_NAMESPACE_HEADER = "Aether-Parked-Namespace";
    /** Header: the stream the event was read from. */
    public static final String PARKED_STREAM_HEADER = "Aether-Parked-Stream";
    /** Header: the event's sequence in that stream. */
    public static final String PARKED_SEQUENCE_HEADER = "Aether-Parked-Sequence";
    /** Header: how many times the handler was called with it. */
    public static final String PARKED_DELIVERIES_HEADER = "Aether-Parked-Deliveries";
    /** Header: the last failure, {@code exception class: message}, percent-encoded. */
    public static final String PARKED_FAILURE_HEADER = "Aether-Parked-Failure";
    /** Header: when it was parked, an ISO-8601 instant. */
    public static final String PARKED_AT_HEADER = "Aether-Parked-At";

    /** Default for {@link Builder#fetchExpiry(Duration)}. */
    public static final Duration DEFAULT_FETCH_EXPIRY = Duration.ofSeconds(5);
    /** Default for {@link Builder#discoveryInterval(Duration)}. */
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(5);
    /** Default for {@link Builder#ackWait(Duration)}. */
    public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);
    /** Default for {@link Builder#partitionLeaseTtl(Duration)}. */
    public static final Duration DEFAULT_PARTITION_LEASE_TTL = Duration.ofSeconds(5);
    /** How many read but unacknowledged events one consumer reader holds at most. */
    public static final int MAX_IN_FLIGHT = 256;
    /** Default for {@link Builder#fetchBatch(int)}. */
    public static final int DEFAULT_FETCH_BATCH = 64;

    private static final Logger LOG = System.getLogger(JetStreamEventSubscriptions.class.getName());
    private static final int CONSUMER_NOT_FOUND = NatsJetStreamConstants.JS_CONSUMER_NOT_FOUND_ERR;
    private static final int STREAM_NOT_FOUND = StreamProvisioner.STREAM_NOT_FOUND;
    private static final Duration FLOOR_REFRESH = Duration.ofSeconds(1);
    private static final Duration FLOOR_REFRESH_ON_GAP = Duration.ofMillis(50);
    /**
     * How long a message whose predecessor this reader has not seen waits for the group's ack floor to pass
     * that predecessor (another member handling it) before the predecessor is read from the stream.
     */
    static final Duration ORDER_GAP_GRACE = Duration.ofSeconds(3);
    /**
     * The shortest pull request jnats allows. A pull request cannot be cut short, so a message that starts waiting
     * for its predecessor during one is looked at again when it ends: pull requests are this short from the first
     * wait until {@link #SHORT_FETCHES_AFTER_WAIT} after the last.
     */
    private static final Duration SHORT_FETCH_EXPIRY = Duration.ofSeconds(1);
    private static final Duration SHORT_FETCHES_AFTER_WAIT = Duration.ofMinutes(1);
    private static final Duration EPHEMERAL_INACTIVE_THRESHOLD = Duration.ofMinutes(5);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);

    private final Connection connection;
    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final String prefix;
    private final Duration fetchExpiry;
    private final int fetchBatch;
    private final Duration discoveryInterval;
    private final Duration ackWait;
    private final Duration partitionLeaseTtl;
    private final int leaseReplicas;
    private final ParkingLot parkingLot;
    private final EventCodec codec = new EventCodec();
    private final ScheduledExecutorService discovery;
    private final ScheduledExecutorService deadlines;
    private final Set<JetStreamSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private PartitionLeases leases;
    private volatile boolean closed;

    private JetStreamEventSubscriptions(Builder builder) {
        this.connection = builder.connection;
        this.prefix = builder.streamPrefix;
        this.fetchExpiry = builder.fetchExpiry;
        this.fetchBatch = builder.fetchBatch;
        this.discoveryInterval = builder.discoveryInterval;
        this.ackWait = builder.ackWait;
        this.partitionLeaseTtl = builder.partitionLeaseTtl;
        this.leaseReplicas = builder.leaseReplicas;
        String parkingStream = parkingStreamName(prefix);
        try {
            this.jetStream = connection.jetStream();
            this.management = connection.jetStreamManagement();
            this.parkingLot = new ParkingLot(jetStream, management, prefix, builder.parkingReplicas);
        } catch (IOException | IllegalStateException e) {
            throw PermissionViolations.explain(connection, new StoreUnavailableException(
                    "Could not create or read the parking stream '" + parkingStream + "'", e), parkingStream);
        } catch (StoreUnavailableException e) {
            throw PermissionViolations.explain(connection, e, parkingStream);
        }
        this.discovery = daemonScheduler("aether-subscription-discovery");
        // A thread of its own: a discovery scan stuck in slow JetStream API requests must not delay
        // the extensions past ackWait, or the server redelivers events still waiting here.
        this.deadlines = daemonScheduler("aether-subscription-ack-deadlines");
        long extendEvery = ackWait.toNanos() / 3;
        deadlines.scheduleWithFixedDelay(() -> {
            for (JetStreamSubscription subscription : subscriptions) {
                subscription.readers.values().forEach(reader -> reader.extendDeadlines(extendEvery));
            }
        }, extendEvery, extendEvery, TimeUnit.NANOSECONDS);
    }

    private static ScheduledExecutorService daemonScheduler(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * @param connection the NATS connection, owned by the caller
     * @return a builder with every default
     */
    public static Builder builder(Connection connection) {
        return new Builder(connection);
    }

    /**
     * @param streamPrefix a stream prefix
     * @return the name of the parking stream, {@code <prefix>__PARKED}; no namespace stream can have it
     */
    public static String parkingStreamName(String streamPrefix) {
        return SubjectCodec.parkingStream(streamPrefix);
    }

    /** Opens the lease bucket on the first partitioned subscription: others never need it, nor its permissions. */
    private synchronized PartitionLeases leases() {
        if (leases == null) {
            String bucket = SubjectCodec.leaseBucket(prefix);
            try {
                leases = PartitionLeases.open(connection, prefix, partitionLeaseTtl, leaseReplicas);
            } catch (StoreUnavailableException e) {
                throw PermissionViolations.explain(connection, e, bucket, StreamProvisioner.KV_STREAM_PREFIX + bucket);
            }
        }
        return leases;
    }

    /** @return the name of the parking stream of these subscriptions */
    public String parkingStream() {
        return parkingLot.stream();
    }

    /**
     * Starts a subscription. When it returns, consumers exist on every stream that matches the pattern
     * now; a {@link StartPosition#newEvents()} subscription receives every event saved afterwards.
     * The subscription is {@link LagAware}: its lag is the sum, over the consumers it reads, of the
     * server's pending and acknowledgement-pending counts (one consumer info request per stream).
     *
     * @throws StoreUnavailableException if a consumer could not be created or read
     * @throws IllegalStateException     if these subscriptions are closed
     */
    @Override
    public Subscription subscribe(String namespacePattern, SubscriptionFilter filter, EventHandler handler,
                                  SubscriptionOptions options) {
        NamespacePattern pattern = SubscribeArguments.check(namespacePattern, filter, handler, options);
        if (closed) {
            throw new IllegalStateException("the subscriptions are closed");
        }
        JetStreamSubscription subscription = new JetStreamSubscription(pattern, filter, handler, options);
        subscriptions.add(subscription);
        if (closed) {
            // close() ran between the check above and add(), and did not see this subscription
            subscription.close();
            throw new IllegalStateException("the subscriptions are closed");
        }
        try {
            subscription.discover(true);
            subscription.startPartitions();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            subscription.close();
            if (e instanceof IllegalArgumentException || e instanceof PermissionDeniedException) {
                throw (RuntimeException) e;
            }
            RuntimeException failure = e instanceof StoreUnavailableException unavailable ? unavailable
                    : new StoreUnavailableException("Could not start the subscription '" + subscription.name
                            + "' on '" + pattern.value() + "'", e);
            throw PermissionViolations.explain(connection, failure, pattern.hasWildcard() ? "NAMES"
                    : SubjectCodec.streamName(prefix, pattern.value()));
        }
        subscription.scheduleDiscovery();
        return subscription;
    }

    /**
     * Reads the events a subscription parked, oldest first, one request per event: meant for
     * inspection. Messages parked because they were not Aether events at all are skipped here (and
     * logged); NATS tools show them. A parked event's id is its sequence in the parking stream.
     *
     * @throws StoreUnavailableException if the parking stream could not be read
     */
    @Override
    public List<ParkedEvent> parkedEvents(String subscription) {
        return parkingLot.list(subscription);
    }

    /** Counts with one stream info request; includes messages that are not Aether events. */
    @Override
    public long parkedCount(String subscription) {
        return parkingLot.count(subscription);
    }

    @Override
    public int replayParked(String subscription) {
        return parkingLot.replayAll(subscription, runningDelivery(subscription));
    }

    @Override
    public boolean replayParked(String subscription, long id) {
        return parkingLot.replay(subscription, id, runningDelivery(subscription));
    }

    /** Purges the subscription's subjects from the parking stream. */
    @Override
    public long discardParked(String subscription) {
        return parkingLot.discardAll(subscription);
    }

    /** Deletes the message {@code id} from the parking stream. */
    @Override
    public boolean discardParked(String subscription, long id) {
        return parkingLot.discard(subscription, id);
    }

    /** @throws IllegalStateException if no subscription of that name runs here */
    private ActorOrderedDelivery runningDelivery(String subscription) {
        SubscribeArguments.checkSubscriptionName(subscription);
        for (JetStreamSubscription running : subscriptions) {
            if (running.open && running.name.equals(subscription)) {
                return running.delivery;
            }
        }
        throw new IllegalStateException("No subscription '" + subscription + "' runs here: start it, then replay "
                + "its parked events");
    }

    /** Stops every subscription started here (durable positions stay on the server) and the background threads. */
    @Override
    public void close() {
        closed = true;
        for (JetStreamSubscription subscription : List.copyOf(subscriptions)) {
            subscription.close();
        }
        discovery.shutdownNow();
        deadlines.shutdownNow();
    }

    /** @return the stream sequence of the actor's previous message, 0 for its first, -1 if the header is missing */
    static long previousOf(Headers headers) {
        String value = headers == null ? null : headers.getFirst(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /**
     * One call of {@link #subscribe}: one reader per matching stream (per stream and owned partition
     * when partitioned), one delivery loop for all.
     */
    private final class JetStreamSubscription implements Subscription, LagAware, PartitionAware,
            PartitionCoordinator.Partitions {
        final NamespacePattern pattern;
        final SubscriptionFilter filter;
        final SubscriptionOptions options;
        final String name;
        final ActorOrderedDelivery delivery;
        /** Keyed by {@link #readerKey}. */
        final Map<String, StreamReader> readers = new ConcurrentHashMap<>();
        /** Partitioned only: the streams whose partition consumers exist, by stream name. */
        final Map<String, PartitionedStream> partitionedStreams = new ConcurrentHashMap<>();
        volatile PartitionCoordinator coordinator;
        volatile boolean open = true;
        ScheduledFuture<?> discoveryTask;

        JetStreamSubscription(NamespacePattern pattern, SubscriptionFilter filter, EventHandler handler,
                              SubscriptionOptions options) {
            this.pattern = pattern;
            this.filter = filter;
            this.options = options;
            this.name = options.durableName() != null ? options.durableName()
                    : "ephemeral-" + UUID.randomUUID().toString().substring(0, 8);
            this.delivery = new ActorOrderedDelivery(name, handler, options, this::admits);
        }

        private boolean admits(String namespace, Event event) {
            if (!options.partitioned()) {
                return true;
            }
            PartitionCoordinator partitions = coordinator;
            return partitions != null && partitions.admits(event.actorId());
        }

        @Override
        public int partitionCount() {
            return options.partitions();
        }

        /** The partitions whose leases this process holds now (read from memory, no request). */
        @Override
        public List<Integer> ownedPartitions() {
            if (!open) {
                return List.of();
            }
            if (!options.partitioned()) {
                return List.of(0);
            }
            PartitionCoordinator partitions = coordinator;
            return partitions == null ? List.of() : partitions.owned();
        }

        /** Partitioned only: joins the group and takes the partitions that are free and this member's. */
        void startPartitions() {
            if (!options.partitioned()) {
                return;
            }
            PartitionCoordinator partitions = new PartitionCoordinator(leases(), name, options.partitions(), this);
            coordinator = partitions;
            try {
                partitions.start();
            } catch (StoreUnavailableException e) {
                throw PermissionViolations.explain(connection, e, SubjectCodec.leaseBucket(prefix));
            }
        }

        @Override
        public void start(int partition, Map<String, Map<String, Long>> handledUnacknowledged) {
            synchronized (this) {
                if (!open) {
                    return;
                }
                for (PartitionedStream stream : partitionedStreams.values()) {
                    startReader(stream, partition, handledUnacknowledged.getOrDefault(stream.context.getStreamName(),
                            Map.of()));
                }
            }
        }

        @Override
        public Map<String, Map<String, Long>> stop(int partition) {
            List<StreamReader> stopped = new ArrayList<>();
            synchronized (this) {
                readers.values().removeIf(reader -> {
                    if (reader.partition != partition) {
                        return false;
                    }
                    reader.stop();
                    stopped.add(reader);
                    return true;
                });
            }
            stopped.forEach(StreamReader::join);
            // the coordinator closed the partition's admission: its waiting events are given back now
            delivery.releaseRefused();
            return handledUnacknowledged(stopped);
        }

        @Override
        public Map<String, Map<String, Long>> dealtWith(int partition) {
            List<StreamReader> running = readers.values().stream().filter(r -> r.partition == partition).toList();
            return handledUnacknowledged(running);
        }

        /** @return per stream, per actor subject, the last message these readers dealt with */
        Map<String, Map<String, Long>> handledUnacknowledged(List<StreamReader> stopped) {
            Map<String, Map<String, Long>> handled = new java.util.HashMap<>();
            for (StreamReader reader : stopped) {
                if (!reader.dealtWithUpTo.isEmpty()) {
                    handled.computeIfAbsent(reader.stream.getStreamName(), s -> new java.util.HashMap<>())
                            .putAll(Map.copyOf(reader.dealtWithUpTo));
                }
            }
            return handled;
        }

        private void startReader(PartitionedStream stream, int partition, Map<String, Long> dealtWith) {
            String key = readerKey(stream.context.getStreamName(), partition);
            if (readers.containsKey(key)) {
                return;
            }
            StreamReader reader = new StreamReader(this, stream.namespace, stream.context, stream.foundAtStart, partition);
            reader.dealtWithUpTo.putAll(dealtWith);
            dealtWith.forEach(reader.handed::inherit);
            try {
                reader.consumer = reader.obtainConsumer();
                reader.readAckFloor();
            } catch (IOException | JetStreamApiException e) {
                throw new StoreUnavailableException("Could not read the consumer " + reader.consumerName + " on "
                        + stream.context.getStreamName(), e);
            }
            readers.put(key, reader);
            reader.start();
        }

        /**
         * Partitioned only: refuses a stream read by this group with another partition count, then makes
         * sure every partition's consumer exists, so each starts where the subscription starts, whichever
         * member reads it later.
         */
        private void preparePartitions(String namespace, StreamContext stream, boolean initial)
                throws IOException, JetStreamApiException {
            String durable = options.durableName();
            String streamName = stream.getStreamName();
            Pattern partitionConsumer = Pattern.compile(Pattern.quote(durable) + "-p\\d+-of-(\\d+)");
            for (String consumer : stream.getConsumerNames()) {
                java.util.regex.Matcher matcher = partitionConsumer.matcher(consumer);
                boolean otherCount = matcher.matches() && !matcher.group(1).equals(String.valueOf(options.partitions()));
                if (otherCount || consumer.equals(durable)) {
                    throw new IllegalArgumentException("partitions: the durable subscription '" + durable + "' reads "
                            + streamName + " with " + (otherCount ? matcher.group(1) + " partitions" : "no partitions")
                            + " (consumer '" + consumer + "'), not " + options.partitions()
                            + "; the partition count of a group cannot change. Use another durable name, or delete "
                            + "the group's consumers on the stream to start it again");
                }
            }
            for (int p = 0; p < options.partitions(); p++) {
                new StreamReader(this, namespace, stream, initial, p).obtainConsumer();
            }
            partitionedStreams.put(streamName, new PartitionedStream(namespace, stream, initial));
        }

        void scheduleDiscovery() {
            discoveryTask = discovery.scheduleWithFixedDelay(() -> {
                if (connection.getStatus() == Connection.Status.CLOSED) {
                    return;
                }
                try {
                    discover(false);
                } catch (IOException | JetStreamApiException | RuntimeException e) {
                    LOG.log(Level.DEBUG, "Subscription '" + name + "': stream discovery failed, will retry", e);
                }
            }, discoveryInterval.toMillis(), discoveryInterval.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Starts a reader on each matching stream not read yet. */
        synchronized void discover(boolean initial) throws IOException, JetStreamApiException {
            if (!open) {
                return;
            }
            for (String namespace : matchingNamespaces()) {
                String streamName = SubjectCodec.streamName(prefix, namespace);
                if (readers.containsKey(streamName) || partitionedStreams.containsKey(streamName)) {
                    continue;
                }
                StreamContext stream;
                try {
                    stream = jetStream.getStreamContext(streamName);
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                        continue;
                    }
                    throw e;
                }
                if (options.partitioned()) {
                    preparePartitions(namespace, stream, initial);
                    PartitionedStream prepared = partitionedStreams.get(streamName);
                    PartitionCoordinator partitions = coordinator;
                    if (partitions != null) {
                        for (int p : partitions.owned()) {
                            startReader(prepared, p, Map.of());
                        }
                    }
                    continue;
                }
                StreamReader reader = new StreamReader(this, namespace, stream, initial, StreamReader.UNPARTITIONED);
                reader.consumer = reader.obtainConsumer();
                reader.readAckFloor();
                readers.put(streamName, reader);
                reader.start();
            }
        }

        private List<String> matchingNamespaces() throws IOException, JetStreamApiException {
            if (!pattern.hasWildcard()) {
                return List.of(pattern.value());
            }
            List<String> namespaces = new ArrayList<>();
            for (String streamName : management.getStreamNames(SubjectCodec.streamSubjectsMatching(prefix, pattern))) {
                SubjectCodec.namespaceOfStream(prefix, streamName).filter(pattern::matches).ifPresent(namespaces::add);
            }
            return namespaces;
        }

        /**
         * Asks the server about each consumer read, nothing when the connection is not up. Counts are
         * the consumer's: with a shared durable name they include events other processes hold, and
         * they include events the filter will skip unseen.
         */
        @Override
        public Optional<SubscriptionLag> lag() {
            if (!open || connection.getStatus() != Connection.Status.CONNECTED) {
                return Optional.empty();
            }
            SubscriptionLag lag = SubscriptionLag.NONE;
            try {
                for (StreamReader reader : readers.values()) {
                    ConsumerInfo info = reader.consumer.getConsumerInfo();
                    lag = lag.plus(new SubscriptionLag(info.getNumPending(), info.getNumAckPending()));
                }
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Subscription '" + name + "': could not read its consumers' state; lag unknown", e);
                return Optional.empty();
            }
            return Optional.of(lag);
        }

        @Override
        public void close() {
            PartitionCoordinator partitions = coordinator;
            if (partitions != null) {
                partitions.stopPolling();
            }
            synchronized (this) {
                if (!open) {
                    return;
                }
                open = false;
                readers.values().forEach(StreamReader::stop);
            }
            subscriptions.remove(this);
            if (discoveryTask != null) {
                discoveryTask.cancel(false);
            }
            delivery.close();
            for (StreamReader reader : readers.values()) {
                reader.join();
                if (options.durableName() == null) {
                    reader.deleteEphemeralConsumer();
                }
            }
            if (partitions != null) {
                Map<Integer, Map<String, Map<String, Long>>> handled = new java.util.HashMap<>();
                for (StreamReader reader : readers.values()) {
                    if (reader.partition != StreamReader.UNPARTITIONED) {
                        handled.computeIfAbsent(reader.partition, p -> new java.util.HashMap<>())
                                .putAll(handledUnacknowledged(List.of(reader)));
                    }
                }
                partitions.leave(handled);
            }
        }
    }

    private static String readerKey(String streamName, int partition) {
        return partition == StreamReader.UNPARTITIONED ? streamName : streamName + "#" + partition;
    }

    /** A stream a partitioned subscription reads, with its partition consumers in place. */
    private record PartitionedStream(String namespace, StreamContext context, boolean foundAtStart) {
    }

    /** Pulls one consumer of one stream and hands its events to the subscription's delivery loop. */
    private final class StreamReader {
        static final int UNPARTITIONED = -1;
        final JetStreamSubscription subscription;
        final String namespace;
        final StreamContext stream;
        final boolean foundAtStart;
        /** The partition read, or {@link #UNPARTITIONED}. */
        final int partition;
        /** The durable consumer's name; null for an ephemeral one. */
        final String consumerName;
        final String actorSubjectPrefix;
        final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
        /** Events that could not be parked and were given back to the server (nak) to come again. */
        final NavigableSet<Long> awaitingRedelivery = new ConcurrentSkipListSet<>();
        /** Read by the reader's thread only: what it handed on, per actor, to keep each actor's order. */
        final HandedSequences handed = new HandedSequences();
        /** Messages read straight from the stream to fill a gap, whose own delivery has not come yet. */
        final Map<Long, StoredMessage> filledUnfinished = new ConcurrentHashMap<>();
        /**
         * Partitioned only: per actor subject, the last message dealt with (handled, parked or skipped by
         * the filter) here or by the partition's earlier owners, above the ack floor. Handed to the next
         * owner with the lease, so that it neither handles them again nor reads them to fill a gap (the
         * ack floor alone can lag far behind: one message held by a dead member holds it back).
         */
        final Map<String, Long> dealtWithUpTo = new ConcurrentHashMap<>();
        /** Read by the reader's thread only: deliveries waiting for their actor's predecessor, by sequence. */
        final NavigableMap<Long, Waiting> waiting = new TreeMap<>();
        /** Read by the reader's thread only: when ({@link System#nanoTime()}) a message last started waiting. */
        long lastWaitStarted = System.nanoTime() - SHORT_FETCHES_AFTER_WAIT.toNanos();
        /**
         * Read by the reader's thread only: the ack floor when a wait last ran out. While the floor stays there it
         * is pinned (a lost delivery holds it until the server redelivers after ackWait) and waiting is no use.
         */
        long floorAtLastTimeout = -1;
        final Thread thread;
        volatile ConsumerContext consumer;
        volatile long lastSequenceSeen;
        volatile boolean running = true;
        long floorReadAt;

        StreamReader(JetStreamSubscription subscription, String namespace, StreamContext stream, boolean foundAtStart,
                     int partition) {
            this.subscription = subscription;
            this.namespace = namespace;
            this.stream = stream;
            this.foundAtStart = foundAtStart;
            this.partition = partition;
            String durable = subscription.options.durableName();
            this.consumerName = partition == UNPARTITIONED ? durable
                    : SubjectCodec.partitionConsumer(durable, partition, subscription.options.partitions());
            this.actorSubjectPrefix = SubjectCodec.actorSubjectPrefix(prefix, namespace);
            this.thread = new Thread(this::run, "aether-subscription-" + subscription.name + "-" + stream.getStreamName()
                    + (partition == UNPARTITIONED ? "" : "-p" + partition));
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        void join() {
            try {
                thread.join(fetchExpiry.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        ConsumerContext obtainConsumer() throws IOException, JetStreamApiException {
            String durable = consumerName;
            if (durable != null) {
                try {
                    return stream.getConsumerContext(durable);
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                        throw e;
                    }
                }
            }
            ConsumerConfiguration.Builder config = ConsumerConfiguration.builder()
                    .ackPolicy(AckPolicy.Explicit)
                    .ackWait(ackWait)
                    .maxDeliver(-1)
                    .maxAckPending(MAX_IN_FLIGHT * 4L)
                    .description("Aether subscription '" + subscription.name + "' on '" + subscription.pattern.value() + "'");
            if (durable != null) {
                config.durable(durable);
            } else {
                config.inactiveThreshold(EPHEMERAL_INACTIVE_THRESHOLD);
            }
            startAt(config);
            return stream.createOrUpdateConsumer(config.build());
        }

        /**
         * Reads the consumer's ack floor: everything at or below it was acknowledged by the group or lies
         * before the consumer's start (which the server reports as an ack floor of 0 until the first
         * acknowledgement), so an actor whose predecessor is there has nothing missing.
         */
        void readAckFloor() throws IOException, JetStreamApiException {
            ConsumerInfo info = consumer.getConsumerInfo();
            long floor = info.getAckFloor().getStreamSequence();
            if (info.getDelivered().getConsumerSequence() == 0) {
                // nothing delivered yet: the delivered stream sequence is the one before the start
                floor = Math.max(floor, info.getDelivered().getStreamSequence());
            }
            ConsumerConfiguration config = info.getConsumerConfiguration();
            if (config.getDeliverPolicy() == DeliverPolicy.ByStartSequence) {
                floor = Math.max(floor, config.getStartSequence() - 1);
            }
            handed.raiseFloor(floor);
            long ackFloor = floor;
            dealtWithUpTo.values().removeIf(upTo -> upTo <= ackFloor);
            floorReadAt = System.nanoTime();
        }

        private void readAckFloorIfOlderThan(Duration age) {
            if (System.nanoTime() - floorReadAt < age.toNanos()) {
                return;
            }
            try {
                readAckFloor();
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                floorReadAt = System.nanoTime();
                LOG.log(Level.DEBUG, "Could not read the ack floor of the consumer; keeping the last one read", e);
            }
        }

        /** Tells the server that events waiting here (behind a retry or a slow handler) are still being worked on. */
        void extendDeadlines(long olderThanNanos) {
            long now = System.nanoTime();
            for (InFlight waiting : inFlight.values()) {
                if (now - waiting.extendedAt > olderThanNanos) {
                    try {
                        waiting.message.inProgress();
                        waiting.extendedAt = now;
                    } catch (RuntimeException e) {
                        LOG.log(Level.DEBUG, "Could not extend an ack deadline; the server may redeliver", e);
                    }
                }
            }
        }

        private void startAt(ConsumerConfiguration.Builder config) {
            if (lastSequenceSeen > 0) {
                // A consumer the server lost is created again after what was read, except that events
                // handed back for redelivery (their parking failed) must come again from the new one.
                Long redeliver = awaitingRedelivery.isEmpty() ? null : awaitingRedelivery.first();
                config.deliverPolicy(DeliverPolicy.ByStartSequence)
                        .startSequence(redeliver != null ? redeliver : lastSequenceSeen + 1);
                return;
            }
            StartPosition start = subscription.options.startPosition();
            if (start instanceof StartPosition.AtPosition at) {
                config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(at.position());
            } else if (start == StartPosition.newEvents() && foundAtStart) {
                config.deliverPolicy(DeliverPolicy.New);
            } else {
                config.deliverPolicy(DeliverPolicy.All);
            }
        }

        private void run() {
            try {
                read();
            } finally {
                giveBackWaiting();
            }
        }

        private void read() {
            boolean failing = false;
            while (running) {
                try {
                    releaseWaiting();
                    if (!awaitRoom()) {
                        continue;
                    }
                    FetchConsumeOptions fetchOptions = FetchConsumeOptions.builder()
                            .maxMessages(fetchBatch)
                            .expiresIn(pullExpiry().toMillis())
                            .build();
                    try (FetchConsumer fetch = consumer.fetch(fetchOptions)) {
                        Message message;
                        while (running && (message = fetch.nextMessage()) != null) {
                            accept(message);
                            releaseWaiting();
                        }
                    }
                    readAckFloorIfOlderThan(FLOOR_REFRESH);
                    if (failing) {
                        LOG.log(Level.INFO, "Subscription '" + subscription.name + "' reads " + stream.getStreamName()
                                + " again");
                        failing = false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    if (!running) {
                        return;
                    }
                    LOG.log(failing ? Level.DEBUG : Level.WARNING, "Subscription '" + subscription.name
                            + "' could not read " + stream.getStreamName() + "; retrying", e);
                    failing = true;
                    if (!recover()) {
                        return;
                    }
                }
            }
        }

        /** @return false if the reader should stop: the subscription closed or the stream is gone */
        private boolean recover() {
            if (connection.getStatus() == Connection.Status.CLOSED) {
                LOG.log(Level.WARNING, "Subscription '" + subscription.name + "' stopped reading "
                        + stream.getStreamName() + ": the NATS connection is closed");
                return false;
            }
            try {
                pause(PAUSE_AFTER_FAILURE);
                consumer.getConsumerInfo();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                    LOG.log(Level.WARNING, "Subscription '" + subscription.name + "': stream " + stream.getStreamName()
                            + " was deleted; stopped reading it");
                    subscription.readers.remove(readerKey(stream.getStreamName(), partition), this);
                    subscription.partitionedStreams.remove(stream.getStreamName());
                    return false;
                }
                if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                    try {
                        consumer = obtainConsumer();
                        LOG.log(Level.WARNING, "Subscription '" + subscription.name + "': the consumer on "
                                + stream.getStreamName() + " was gone and has been created again");
                    } catch (IOException | JetStreamApiException again) {
                        LOG.log(Level.DEBUG, "Could not create the consumer again", again);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Consumer check failed; the server may be restarting", e);
            }
            return running;
        }

        /** Waits until a whole fetch batch fits: a slow handler then gets full pulls, not one per acknowledgement. */
        private boolean awaitRoom() throws InterruptedException {
            synchronized (this) {
                if (inFlight.size() > MAX_IN_FLIGHT - fetchBatch) {
                    wait(1_000);
                    return false;
                }
                return true;
            }
        }

        private void finished(long sequence) {
            inFlight.remove(sequence);
            synchronized (this) {
                notifyAll();
            }
        }

        /**
         * Whether a message belongs to the partition read: its actor is read from the subject, or from the
         * body when the subject holds a hash of a long id. An undecodable message counts as this
         * partition's, to be parked like any other.
         */
        private boolean inPartition(Message message) {
            String subject = message.getSubject();
            String actor;
            try {
                actor = subject.startsWith(actorSubjectPrefix)
                        ? SubjectCodec.decodeActorToken(subject.substring(actorSubjectPrefix.length())).orElse(null)
                        : null;
                if (actor == null) {
                    List<Event> events = codec.decodeMessage(message.getData());
                    if (events.isEmpty()) {
                        return true;
                    }
                    actor = events.get(0).actorId();
                }
            } catch (RuntimeException e) {
                return true;
            }
            return ActorPartitions.partitionOf(actor, subscription.options.partitions()) == partition;
        }

        private void accept(Message message) {
            long sequence = message.metaData().streamSequence();
            if (partition != UNPARTITIONED) {
                PartitionCoordinator partitions = subscription.coordinator;
                if (partitions == null || !partitions.owns(partition)) {
                    // The partition is being given up: this reader stops soon. Not handed on, not
                    // acknowledged: it goes, with the events released here, to the next owner.
                    nakQuietly(message, sequence);
                    return;
                }
                if (!inPartition(message)) {
                    // another partition's: its own consumer delivers it to its owner
                    lastSequenceSeen = Math.max(lastSequenceSeen, sequence);
                    message.ack();
                    return;
                }
            }
            if (inFlight.putIfAbsent(sequence, new InFlight(message)) != null) {
                // redelivered while still waiting here; the first copy gets acknowledged
                return;
            }
            boolean givenBack = awaitingRedelivery.remove(sequence);
            lastSequenceSeen = Math.max(lastSequenceSeen, sequence);
            String subject = message.getSubject();
            if (!givenBack) {
                // A message given back after its parking failed comes again whatever came after it.
                if (handed.handed(subject, sequence)) {
                    lateCopy(message, sequence);
                    return;
                }
                long previous = previousOf(message.getHeaders());
                if (!handed.predecessorDealtWith(subject, previous) && !isWaiting(subject) && floorPinned()) {
                    if (!fillGap(subject, previous, sequence)) {
                        finished(sequence);
                        nakQuietly(message, sequence);
                        return;
                    }
                } else if (!handed.predecessorDealtWith(subject, previous) || isWaiting(subject)) {
                    lastWaitStarted = System.nanoTime();
                    waiting.put(sequence, new Waiting(message, subject, previous,
                            lastWaitStarted + ORDER_GAP_GRACE.toNanos()));
                    return;
                }
                if (handed.laterHanded(subject, sequence)) {
                    LOG.log(Level.WARNING, "Subscription '" + subscription.name + "': message " + sequence + " of "
                            + stream.getStreamName() + " arrived after a later message of its actor was handed on; "
                            + "handling it late");
                }
            }
            handOn(message, sequence, subject);
        }

        private Duration pullExpiry() {
            boolean recentWait = System.nanoTime() - lastWaitStarted < SHORT_FETCHES_AFTER_WAIT.toNanos();
            return recentWait && SHORT_FETCH_EXPIRY.compareTo(fetchExpiry) < 0 ? SHORT_FETCH_EXPIRY : fetchExpiry;
        }

        /** @return whether the ack floor has not moved since a wait last ran out (read again first if stale) */
        private boolean floorPinned() {
            readAckFloorIfOlderThan(FLOOR_REFRESH_ON_GAP);
            return handed.floor() == floorAtLastTimeout;
        }

        private boolean isWaiting(String subject) {
            for (Waiting w : waiting.values()) {
                if (w.subject.equals(subject)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Hands on, oldest first, each waiting message whose predecessor has been dealt with (handed on here,
         * or at or below the group's ack floor, read again at most every {@code FLOOR_REFRESH_ON_GAP}), or
         * whose grace is over, or any if the floor is pinned: then the missing messages are read from the stream
         * first ({@link #fillGap}). A message waits as long as an earlier one of its actor does.
         */
        private void releaseWaiting() {
            if (waiting.isEmpty()) {
                return;
            }
            readAckFloorIfOlderThan(FLOOR_REFRESH_ON_GAP);
            long now = System.nanoTime();
            Set<String> blocked = new HashSet<>();
            Iterator<Waiting> messages = waiting.values().iterator();
            while (messages.hasNext()) {
                Waiting w = messages.next();
                long sequence = w.message.metaData().streamSequence();
                if (blocked.contains(w.subject)) {
                    continue;
                }
                boolean dealtWith = handed.predecessorDealtWith(w.subject, w.previous);
                if (!dealtWith && now - w.graceEnds < 0 && handed.floor() != floorAtLastTimeout) {
                    blocked.add(w.subject);
                    continue;
                }
                if (!dealtWith) {
                    floorAtLastTimeout = handed.floor();
                }
                messages.remove();
                if (handed.handed(w.subject, sequence)) {
                    lateCopy(w.message, sequence);
                } else if (!fillGap(w.subject, w.previous, sequence)) {
                    finished(sequence);
                    nakQuietly(w.message, sequence);
                    blocked.add(w.subject);
                } else {
                    handOn(w.message, sequence, w.subject);
                }
            }
        }

        /** The reader stopped: waiting messages go back to the server at once, for any member to take. */
        private void giveBackWaiting() {
            for (Waiting w : waiting.values()) {
                long sequence = w.message.metaData().streamSequence();
                finished(sequence);
                try {
                    w.message.nak();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "Could not nak message " + sequence + "; the server redelivers it after ackWait", e);
                }
            }
            waiting.clear();
        }

        /** Sends a message's events to the delivery loop, in order behind what was handed on before. */
        private void handOn(Message message, long sequence, String subject) {
            handed.hand(subject, sequence);
            int deliveries = (int) Math.min(Integer.MAX_VALUE, message.metaData().deliveredCount());
            List<Event> events;
            try {
                events = codec.decodeMessage(message.getData());
            } catch (RuntimeException e) {
                parkUndecodable(message, sequence, deliveries, e);
                return;
            }
            List<Event> wanted = events.stream().filter(subscription.filter::matches).toList();
            if (wanted.isEmpty()) {
                dealtWith(subject, sequence);
                message.ack();
                finished(sequence);
                return;
            }
            StoredMessage stored = new StoredMessage(message, message, sequence, events.size() > 1, wanted.size());
            for (Event event : wanted) {
                subscription.delivery.submit(namespace, event, deliveries, stored.acknowledgerOf(event));
            }
        }

        private void dealtWith(String subject, long sequence) {
            if (partition != UNPARTITIONED) {
                dealtWithUpTo.merge(subject, sequence, Math::max);
            }
        }

        /**
         * A delivery of a message handed on before (its first delivery, or a read filling a gap) or
         * acknowledged by the group: a duplicate. If the handler is still at it (a message read to fill a
         * gap), this delivery is acknowledged when it finishes; otherwise now, without handling it again.
         */
        private void lateCopy(Message message, long sequence) {
            StoredMessage filled = filledUnfinished.get(sequence);
            if (filled != null && filled.adopt(message)) {
                return;
            }
            finished(sequence);
            message.ack();
        }

        /**
         * Makes sure the actor's earlier messages went to the delivery loop before this one. Normally its
         * predecessor ({@code Nats-Expected-Last-Subject-Sequence}) was handed on by this reader, or lies
         * at or below the consumer's ack floor, or gets there within {@link #ORDER_GAP_GRACE} (another member
         * of the group handling it). If not, its first delivery was lost on the way (a cut connection, a
         * leader change) and the server would deliver it only after ackWait, behind this one: the missing
         * messages are read from the stream by sequence and handed on first, oldest first; their late
         * deliveries are then duplicates.
         *
         * @return false if the stream could not be read: this message waits for its redelivery
         */
        private boolean fillGap(String subject, long previous, long sequence) {
            if (previous < 0 || handed.predecessorDealtWith(subject, previous)) {
                return true;
            }
            readAckFloorIfOlderThan(FLOOR_REFRESH_ON_GAP);
            ArrayDeque<MessageInfo> missing = new ArrayDeque<>();
            long wanted = previous;
            try {
                while (wanted > 0 && wanted < sequence && !handed.predecessorDealtWith(subject, wanted)) {
                    MessageInfo info;
                    try {
                        info = management.getMessage(stream.getStreamName(), wanted);
                    } catch (JetStreamApiException e) {
                        if (e.getApiErrorCode() == NatsJetStreamConstants.JS_NO_MESSAGE_FOUND_ERR) {
                            break; // deleted or aged out: nothing to deliver
                        }
                        throw e;
                    }
                    missing.push(info);
                    long next = previousOf(info.getHeaders());
                    if (next >= wanted) {
                        break;
                    }
                    wanted = next;
                }
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Subscription '" + subscription.name + "': could not read the messages of "
                        + subject + " missing before " + sequence + "; waiting for its redelivery", e);
                return false;
            }
            if (!missing.isEmpty()) {
                LOG.log(Level.DEBUG, "Subscription '" + subscription.name + "': " + missing.size()
                        + " earlier message(s) of " + subject + " missing before message " + sequence
                        + "; read from the stream to keep the actor's order");
            }
            while (!missing.isEmpty()) {
                handFilled(subject, missing.pop());
            }
            return true;
        }

        private void handFilled(String subject, MessageInfo info) {
            long sequence = info.getSeq();
            handed.hand(subject, sequence);
            List<Event> events;
            try {
                events = codec.decodeMessage(info.getData());
            } catch (RuntimeException e) {
                return; // parked when its own delivery comes: undecodable messages have no order to keep
            }
            List<Event> wanted = events.stream().filter(subscription.filter::matches).toList();
            if (wanted.isEmpty()) {
                return;
            }
            Message standIn = NatsMessage.builder().subject(info.getSubject()).headers(info.getHeaders())
                    .data(info.getData()).build();
            StoredMessage stored = new StoredMessage(standIn, null, sequence, events.size() > 1, wanted.size());
            filledUnfinished.put(sequence, stored);
            for (Event event : wanted) {
                subscription.delivery.submit(namespace, event, 1, stored.acknowledgerOf(event));
            }
        }

        private void nakQuietly(Message message, long sequence) {
            try {
                message.nakWithDelay(PAUSE_AFTER_FAILURE);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Could not nak message " + sequence + "; the server redelivers it after ackWait", e);
            }
        }

        /**
         * One stored message whose events are in the delivery loop, one at a time: acknowledged once
         * every event is handled or parked; given back for redelivery (all its events) if one could
         * not be parked or the subscription closed first.
         */
        private final class StoredMessage {
            /** The message as delivered, or as read from the stream to fill a gap: what parking publishes. */
            final Message message;
            final long sequence;
            final boolean batch;
            final AtomicInteger unfinished;
            volatile boolean parkingFailed;
            volatile boolean released;
            /** The delivery to acknowledge; none yet for a message read to fill a gap. */
            private Message delivery;
            private boolean done;

            StoredMessage(Message message, Message delivery, long sequence, boolean batch, int events) {
                this.message = message;
                this.delivery = delivery;
                this.sequence = sequence;
                this.batch = batch;
                this.unfinished = new AtomicInteger(events);
            }

            /** @return false if it is finished already: acknowledge the delivery at once */
            synchronized boolean adopt(Message lateDelivery) {
                if (done) {
                    return false;
                }
                delivery = lateDelivery;
                return true;
            }

            ActorOrderedDelivery.Acknowledger acknowledgerOf(Event event) {
                return new ActorOrderedDelivery.Acknowledger() {
                    @Override
                    public void handled() {
                        eventFinished();
                    }

                    @Override
                    public void exhausted(int attempts, Throwable failure) {
                        try {
                            if (!park(message, sequence, event, batch, attempts, ParkedEvent.describe(failure))) {
                                parkingFailed = true;
                            }
                        } finally {
                            eventFinished();
                        }
                    }

                    @Override
                    public void released() {
                        released = true;
                        eventFinished();
                    }
                };
            }

            private void eventFinished() {
                if (unfinished.decrementAndGet() > 0) {
                    return;
                }
                Message acknowledgeable;
                synchronized (this) {
                    done = true;
                    acknowledgeable = delivery;
                }
                filledUnfinished.remove(sequence, this);
                if (!released && !parkingFailed) {
                    dealtWith(message.getSubject(), sequence);
                }
                // forgotten first, so that a redelivery arriving right after the nak is taken
                finished(sequence);
                if (parkingFailed) {
                    giveBack(acknowledgeable, sequence);
                } else if (acknowledgeable == null) {
                    // read to fill a gap: its own delivery comes later and is acknowledged as a duplicate
                } else if (released) {
                    acknowledgeable.nak();
                } else {
                    acknowledgeable.ack();
                }
            }
        }

        private void parkUndecodable(Message message, long sequence, int deliveries, RuntimeException e) {
            LOG.log(Level.ERROR, "Subscription '" + subscription.name + "': message " + sequence + " of "
                    + stream.getStreamName() + " is not an Aether event; parking it", e);
            boolean parked = park(message, sequence, null, false, deliveries, ParkedEvent.describe(e));
            finished(sequence);
            if (parked) {
                message.ack();
            } else {
                giveBack(message, sequence);
            }
        }

        /**
         * Publishes an event (or an undecodable message, when {@code event} is null) to the parking
         * stream. An event of a batch is parked on its own, with a message id of its own.
         *
         * @return whether the parking stream acknowledged it
         */
        private boolean park(Message message, long sequence, Event event, boolean ofBatch, int deliveries,
                             String failure) {
            String messageId = stream.getStreamName() + ":" + sequence + ":" + subscription.name
                    + (ofBatch ? ":" + event.version() : "");
            return parkingLot.park(new ParkingLot.Origin(subscription.name, namespace, stream.getStreamName(), sequence),
                    event, ofBatch ? codec.encode(event) : message.getData(), messageId, deliveries, failure);
        }

        /** Hands a message back to the server, to come again after the longest retry back-off. */
        private void giveBack(Message message, long sequence) {
            awaitingRedelivery.add(sequence);
            if (message == null) {
                return; // read to fill a gap: the server delivers it anyway
            }
            try {
                message.nakWithDelay(subscription.options.maxRetryBackoff());
            } catch (RuntimeException nakFailed) {
                LOG.log(Level.DEBUG, "Could not nak message " + sequence + "; the server redelivers it after ackWait",
                        nakFailed);
            }
        }

        void deleteEphemeralConsumer() {
            try {
                stream.deleteConsumer(consumer.getConsumerName());
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Could not delete the ephemeral consumer; the server removes it after "
                        + EPHEMERAL_INACTIVE_THRESHOLD.toMinutes() + " minutes of inactivity", e);
            }
        }
    }

    /**
     * A delivery waiting for its actor's predecessor.
     *
     * @param message   the delivery
     * @param subject   its actor's subject
     * @param previous  its predecessor's sequence ({@code Nats-Expected-Last-Subject-Sequence})
     * @param graceEnds when ({@link System#nanoTime()}) the predecessor is read from the stream instead
     */
    private record Waiting(Message message, String subject, long previous, long graceEnds) {
    }

    /** An event read and not yet acknowledged, and when its ack deadline was last extended. */
    private static final class InFlight {
        final Message message;
        volatile long extendedAt = System.nanoTime();

        InFlight(Message message) {
            this.message = message;
        }
    }

    /** Builds {@link JetStreamEventSubscriptions}; every setting has a default. */
    public static final class Builder {
        private final Connection connection;
        private String streamPrefix = SubjectCodec.DEFAULT_PREFIX;
        private Duration fetchExpiry = DEFAULT_FETCH_EXPIRY;
        private int fetchBatch = DEFAULT_FETCH_BATCH;
        private Duration discoveryInterval = DEFAULT_DISCOVERY_INTERVAL;
        private Duration ackWait = DEFAULT_ACK_WAIT;
        private int parkingReplicas = 1;
        private Duration partitionLeaseTtl = DEFAULT_PARTITION_LEASE_TTL;
        private int leaseReplicas = 1;

        private Builder(Connection connection) {
            this.connection = Objects.requireNonNull(connection, "connection must not be null");
        }

        /** @param streamPrefix the stream prefix of the stores to read, default {@code AETHER} @return this builder */
        public Builder streamPrefix(String streamPrefix) {
            this.streamPrefix = SubjectCodec.requireValidPrefix(streamPrefix);
            return this;
        }

        /**
         * @param fetchExpiry how long one pull request waits for events, 1 to 60 s, default 5 s; it bounds
         *                    how long a subscription takes to notice a restarted server or a new leader
         * @return this builder
         */
        public Builder fetchExpiry(Duration fetchExpiry) {
            this.fetchExpiry = within(fetchExpiry, "fetchExpiry", Duration.ofSeconds(1), Duration.ofSeconds(60));
            return this;
        }

        /**
         * @param fetchBatch how many events one pull request asks for, 1 to half of
         *                   {@value JetStreamEventSubscriptions#MAX_IN_FLIGHT}, default
         *                   {@value JetStreamEventSubscriptions#DEFAULT_FETCH_BATCH}; a reader pulls again once a whole batch
         *                   fits under {@link JetStreamEventSubscriptions#MAX_IN_FLIGHT} read but unacknowledged events
         * @return this builder
         */
        public Builder fetchBatch(int fetchBatch) {
            if (fetchBatch < 1 || fetchBatch > MAX_IN_FLIGHT / 2) {
                throw new IllegalArgumentException("fetchBatch must be between 1 and " + MAX_IN_FLIGHT / 2
                        + ", was " + fetchBatch);
            }
            this.fetchBatch = fetchBatch;
            return this;
        }

        /**
         * @param discoveryInterval how often a subscription looks for new streams matching its pattern,
         *                          1 s to 10 min, default 5 s
         * @return this builder
         */
        public Builder discoveryInterval(Duration discoveryInterval) {
            this.discoveryInterval = within(discoveryInterval, "discoveryInterval", Duration.ofSeconds(1),
                    Duration.ofMinutes(10));
            return this;
        }

        /**
         * @param ackWait how long the server waits for an acknowledgement before redelivering, 5 s to 1 h,
         *                default 30 s; applies to consumers this object creates. Events waiting in the
         *                subscriber (behind a retry or a slow handler) get their deadline extended every
         *                third of it, so this bounds how soon a crashed subscriber's events go to another
         * @return this builder
         */
        public Builder ackWait(Duration ackWait) {
            this.ackWait = within(ackWait, "ackWait", Duration.ofSeconds(5), Duration.ofHours(1));
            return this;
        }

        /** @param parkingReplicas replicas of the parking stream when this object creates it, 1 to 5, default 1 @return this builder */
        public Builder parkingReplicas(int parkingReplicas) {
            if (parkingReplicas < 1 || parkingReplicas > 5) {
                throw new IllegalArgumentException("parkingReplicas must be 1 to 5, was " + parkingReplicas);
            }
            this.parkingReplicas = parkingReplicas;
            return this;
        }

        /**
         * @param partitionLeaseTtl how long a partition lease and a membership of a partitioned group last
         *                          without renewal, 2 s to 60 s, default 5 s; it is the max age of the lease
         *                          bucket when this object creates it (an existing bucket's own wins). A dead
         *                          member's partitions move after it, plus at most a fifth of it
         * @return this builder
         */
        public Builder partitionLeaseTtl(Duration partitionLeaseTtl) {
            this.partitionLeaseTtl = within(partitionLeaseTtl, "partitionLeaseTtl", Duration.ofSeconds(2),
                    Duration.ofSeconds(60));
            return this;
        }

        /** @param leaseReplicas replicas of the lease and hand-over buckets when this object creates them, 1 to 5, default 1 @return this builder */
        public Builder leaseReplicas(int leaseReplicas) {
            if (leaseReplicas < 1 || leaseReplicas > 5) {
                throw new IllegalArgumentException("leaseReplicas must be 1 to 5, was " + leaseReplicas);
            }
            this.leaseReplicas = leaseReplicas;
            return this;
        }

        /**
         * Creates the parking stream if it is missing.
         *
         * @return the subscriptions
         * @throws StoreUnavailableException if JetStream could not be reached
         */
        public JetStreamEventSubscriptions build() {
            return new JetStreamEventSubscriptions(this);
        }

        private static Duration within(Duration value, String field, Duration min, Duration max) {
            Objects.requireNonNull(value, field + " must not be null");
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }
    }
}
