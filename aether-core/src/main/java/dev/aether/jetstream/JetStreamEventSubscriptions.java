package dev.aether.jetstream;

import dev.aether.ActorPartitions;
import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.LagAware;
import dev.aether.NamespacePattern;
import dev.aether.PermissionDeniedException;
import dev.aether.ParkedEvent;
import dev.aether.ParkedEvents;
import dev.aether.StartPosition;
import dev.aether.StoreUnavailableException;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.spi.ActorOrderedDelivery;
import dev.aether.spi.SubscribeArguments;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
 * actor the last event they dealt with, for the next owner). On a stream of the
 * {@link SubjectLayout#PARTITIONED partitioned subject layout} with {@code n} a power of two, each partition
 * consumer filters on its partition's hash bits and the server delivers it only that partition's events; on
 * a flat stream, or with another {@code n}, a partition consumer reads the whole stream and acknowledges
 * other partitions' events unhandled. Partitions are spread evenly over live members
 * ({@link PartitionCoordinator}); a member that closes hands its partitions over at once, after
 * acknowledging what it handled; a dead member's move once its lease expires. So one actor's events
 * are handled one at a time, in order, across the whole group (a duplicate may come again, never
 * after a later event). The lag of a partitioned subscription counts the consumers of the partitions
 * this process owns, whose pending counts include other partitions' events unless the consumers filter.
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

    private final Connection connection;
    private final String prefix;
    private final Duration partitionLeaseTtl;
    private final int leaseReplicas;
    private final ParkingLot parkingLot;
    private final JetStreamSubscription.Shared shared;
    private final ScheduledExecutorService discovery;
    private final ScheduledExecutorService deadlines;
    private final Set<JetStreamSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private PartitionLeases leases;
    private volatile boolean closed;

    private JetStreamEventSubscriptions(Builder builder) {
        this.connection = builder.connection;
        this.prefix = builder.streamPrefix;
        this.partitionLeaseTtl = builder.partitionLeaseTtl;
        this.leaseReplicas = builder.leaseReplicas;
        String parkingStream = parkingStreamName(prefix);
        JetStream jetStream;
        JetStreamManagement management;
        try {
            jetStream = connection.jetStream();
            management = connection.jetStreamManagement();
            this.parkingLot = new ParkingLot(jetStream, management, prefix, builder.parkingReplicas);
        } catch (IOException | IllegalStateException e) {
            throw PermissionViolations.explain(connection, new StoreUnavailableException(
                    "Could not create or read the parking stream '" + parkingStream + "'", e), parkingStream);
        } catch (StoreUnavailableException e) {
            throw PermissionViolations.explain(connection, e, parkingStream);
        }
        this.discovery = daemonScheduler("aether-subscription-discovery");
        ReaderSettings readerSettings = new ReaderSettings(connection, management, new EventCodec(), prefix,
                builder.fetchExpiry, builder.fetchBatch, builder.ackWait, parkingLot);
        this.shared = new JetStreamSubscription.Shared(readerSettings, jetStream, discovery, builder.discoveryInterval,
                this::leases, subscriptions::remove);
        // A thread of its own: a discovery scan stuck in slow JetStream API requests must not delay
        // the extensions past ackWait, or the server redelivers events still waiting here.
        this.deadlines = daemonScheduler("aether-subscription-ack-deadlines");
        long extendEvery = builder.ackWait.toNanos() / 3;
        deadlines.scheduleWithFixedDelay(() -> {
            for (JetStreamSubscription subscription : subscriptions) {
                subscription.extendDeadlines(extendEvery);
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
        JetStreamSubscription subscription = new JetStreamSubscription(shared, pattern, filter, handler, options);
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
