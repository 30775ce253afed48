package dev.aether.jetstream;

import dev.aether.ActorPartitions;
import dev.aether.Event;
import dev.aether.ParkedEvent;
import dev.aether.StartPosition;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.spi.ActorOrderedDelivery;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Pulls one consumer of one stream (one partition's, when partitioned) on a thread of its own and hands
 * its events to the subscription's delivery loop, keeping each actor's order: gap filling, duplicate
 * detection, acknowledgement, parking and ack-deadline extension of what it read.
 */
final class ConsumerReader {

    /**
     * What a reader needs of the subscription it reads for.
     *
     * @param name       the subscription's name (durable name or generated)
     * @param pattern    the namespace pattern, for the consumer's description
     * @param options    the subscription's options
     * @param filter     the events handed on; others are acknowledged unhandled
     * @param delivery   the subscription's delivery loop
     * @param owns       whether this process owns a partition now (always true when unpartitioned)
     * @param streamGone called with the reader when its stream was deleted and it stopped
     */
    record Subscriber(String name, String pattern, SubscriptionOptions options, SubscriptionFilter filter,
                      ActorOrderedDelivery delivery, IntPredicate owns, Consumer<ConsumerReader> streamGone) {
        Subscriber {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(pattern, "pattern must not be null");
            Objects.requireNonNull(options, "options must not be null");
            Objects.requireNonNull(filter, "filter must not be null");
            Objects.requireNonNull(delivery, "delivery must not be null");
            Objects.requireNonNull(owns, "owns must not be null");
            Objects.requireNonNull(streamGone, "streamGone must not be null");
        }
    }

    /** Logged under the subscriptions' name, the category operators configure. */
    private static final Logger LOG = System.getLogger(JetStreamEventSubscriptions.class.getName());
    private static final int MAX_IN_FLIGHT = JetStreamEventSubscriptions.MAX_IN_FLIGHT;
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
    private static final Duration STATE_READ_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Logged at {@code TRACE} for every delivery a reader receives, with four parameters: the subscription's name,
     * the stream's name, the message's stream sequence and the {@link HandedSequences#fingerprint} of its body.
     */
    static final String DELIVERY_TRACE = "Subscription ''{0}'' was delivered message {2} of {1} (body {3})";
    static final int UNPARTITIONED = -1;
    final Subscriber subscriber;
    private final ReaderSettings settings;
    final String namespace;
    final StreamContext stream;
    final boolean foundAtStart;
    /** The partition read, or {@link #UNPARTITIONED}. */
    final int partition;
    /** The durable consumer's name; null for an ephemeral one. */
    final String consumerName;
    final String actorSubjectPrefix;
    /**
     * Partitioned only, on a partitioned-layout stream with a power-of-two count: the consumer's filter, so
     * the server delivers only this partition's events; null when the consumer reads the whole stream.
     */
    final String partitionFilter;
    /** What the subjects of this partition's actors start with where the layout tells; null otherwise. */
    private final String partitionSubjects;
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
    /**
     * Partitioned only: the last stream sequence the consumer had delivered when this reader took the partition,
     * 0 for a new consumer. Everything up to it went to earlier owners.
     */
    long deliveredBeforeTakeover;
    /**
     * Partitioned only: whether the consumer has had no unacknowledged message outside this reader since it took
     * the partition (its ack-pending count at most what this reader holds). Until then a message whose predecessor
     * is missing waits for that predecessor's redelivery instead of reading it from the stream: an earlier owner
     * may have handled and acknowledged it after its last hand-over marks, or may hold it unacknowledged (then the
     * server redelivers it here after {@code ackWait}). Once settled, a missing predecessor the consumer delivered
     * before the takeover was acknowledged, and is not handled again.
     */
    boolean earlierOwnersSettled;
    /**
     * Partitioned only: when ({@link System#nanoTime()}) waiting for earlier owners' messages is given up (twice
     * {@code ackWait} and the longest retry back-off after the takeover): missing predecessors are then read from
     * the stream, as for a lost delivery, and may be handled again.
     */
    long takeoverGivesUpAt;
    private boolean takeoverRead;
    final Thread thread;
    volatile ConsumerContext consumer;
    volatile long lastSequenceSeen;
    volatile boolean running = true;
    long floorReadAt;

    ConsumerReader(ReaderSettings settings, Subscriber subscriber, String namespace, StreamContext stream,
                   SubjectLayout layout, boolean foundAtStart, int partition) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber must not be null");
        this.namespace = namespace;
        this.stream = stream;
        this.foundAtStart = foundAtStart;
        this.partition = partition;
        String durable = subscriber.options().durableName();
        this.consumerName = partition == UNPARTITIONED ? durable
                : SubjectCodec.partitionConsumer(durable, partition, subscriber.options().partitions());
        this.actorSubjectPrefix = SubjectCodec.actorSubjectPrefix(settings.prefix(), namespace);
        int partitions = subscriber.options().partitions();
        this.partitionSubjects = partition == UNPARTITIONED ? null
                : SubjectCodec.partitionSubjectPrefix(settings.prefix(), namespace, layout, partition, partitions)
                        .orElse(null);
        this.partitionFilter = partition == UNPARTITIONED ? null
                : SubjectCodec.partitionFilter(settings.prefix(), namespace, layout, partition, partitions).orElse(null);
        this.thread = new Thread(this::run, "aether-subscription-" + subscriber.name() + "-" + stream.getStreamName()
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
            thread.join(settings.fetchExpiry().toMillis() + 5_000);
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
                .ackWait(settings.ackWait())
                .maxDeliver(-1)
                .maxAckPending(MAX_IN_FLIGHT * 4L)
                .description("Aether subscription '" + subscriber.name() + "' on '" + subscriber.pattern() + "'");
        if (partitionFilter != null) {
            config.filterSubject(partitionFilter);
        }
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
        ConsumerInfo info = readState().orElse(null);
        if (info == null) {
            floorReadAt = System.nanoTime();
            LOG.log(Level.DEBUG, "Subscription '" + subscriber.name() + "': only replicas without a leader answered "
                    + "for the consumer on " + stream.getStreamName() + "; keeping the last ack floor read");
            return;
        }
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
        if (partition != UNPARTITIONED) {
            if (!takeoverRead) {
                takeoverRead = true;
                deliveredBeforeTakeover = info.getDelivered().getStreamSequence();
                takeoverGivesUpAt = System.nanoTime() + settings.ackWait().multipliedBy(2)
                        .plus(subscriber.options().maxRetryBackoff()).toNanos();
            }
            if (!earlierOwnersSettled && info.getNumAckPending() <= inFlight.size()) {
                earlierOwnersSettled = true;
            }
        }
        long ackFloor = floor;
        dealtWithUpTo.values().removeIf(upTo -> upTo <= ackFloor);
        floorReadAt = System.nanoTime();
    }

    /**
     * @return the consumer's state as its leader reports it ({@link LeaderConsumerInfo}); empty when only
     *         replicas without a leader answered
     */
    Optional<ConsumerInfo> readState() throws IOException, JetStreamApiException {
        return LeaderConsumerInfo.read(settings.connection(), stream.getStreamName(), consumer.getConsumerName(),
                STATE_READ_TIMEOUT);
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
        StartPosition start = subscriber.options().startPosition();
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
                        .maxMessages(settings.fetchBatch())
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
                    LOG.log(Level.INFO, "Subscription '" + subscriber.name() + "' reads " + stream.getStreamName()
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
                LOG.log(failing ? Level.DEBUG : Level.WARNING, "Subscription '" + subscriber.name()
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
        if (settings.connection().getStatus() == Connection.Status.CLOSED) {
            LOG.log(Level.WARNING, "Subscription '" + subscriber.name() + "' stopped reading "
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
                LOG.log(Level.WARNING, "Subscription '" + subscriber.name() + "': stream " + stream.getStreamName()
                        + " was deleted; stopped reading it");
                subscriber.streamGone().accept(this);
                return false;
            }
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                try {
                    consumer = obtainConsumer();
                    LOG.log(Level.WARNING, "Subscription '" + subscriber.name() + "': the consumer on "
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
            if (inFlight.size() > MAX_IN_FLIGHT - settings.fetchBatch()) {
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
     * Whether a message belongs to the partition read: on a partitioned-layout stream with a power-of-two
     * count, its subject's hash bits say so (the consumer's filter delivers only those); otherwise its
     * actor is read from the subject's last token, or from the body when that token is a hash of a long
     * id. An undecodable message counts as this partition's, to be parked like any other.
     */
    private boolean inPartition(Message message) {
        String subject = message.getSubject();
        if (partitionSubjects != null && subject.startsWith(partitionSubjects)) {
            return true;
        }
        String actor;
        try {
            actor = subject.startsWith(actorSubjectPrefix)
                    ? SubjectCodec.decodeActorToken(SubjectCodec.actorTokenOf(subject)).orElse(null)
                    : null;
            if (actor == null) {
                List<Event> events = settings.codec().decodeMessage(message.getData());
                if (events.isEmpty()) {
                    return true;
                }
                actor = events.get(0).actorId();
            }
        } catch (RuntimeException e) {
            return true;
        }
        return ActorPartitions.partitionOf(actor, subscriber.options().partitions()) == partition;
    }

    private void accept(Message message) {
        long sequence = message.metaData().streamSequence();
        if (LOG.isLoggable(Level.TRACE)) {
            LOG.log(Level.TRACE, (ResourceBundle) null, DELIVERY_TRACE, subscriber.name(), stream.getStreamName(),
                    sequence, HandedSequences.fingerprint(message.getData()));
        }
        if (partition != UNPARTITIONED) {
            if (!subscriber.owns().test(partition)) {
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
        long fingerprint = HandedSequences.fingerprint(message.getData());
        if (!givenBack) {
            // A message given back after its parking failed comes again whatever came after it.
            if (handed.handedAs(subject, sequence, fingerprint)) {
                lateCopy(message, sequence);
                return;
            }
            if (handed.handed(subject, sequence)) {
                LOG.log(Level.WARNING, "Subscription '" + subscriber.name() + "': message " + sequence + " of "
                        + stream.getStreamName() + " is not the message handed on at that sequence before: the "
                        + "stream's replicas disagreed and it holds another message there now; handling it");
            }
            long previous = previousOf(message.getHeaders());
            boolean predecessorDealtWith = handed.predecessorDealtWith(subject, previous);
            if (!predecessorDealtWith && inTakeoverWindow()) {
                startWaiting(message, subject, previous, sequence, fingerprint, takeoverGivesUpAt, true);
                return;
            }
            if (isWaiting(subject)) {
                startWaiting(message, subject, previous, sequence, fingerprint);
                return;
            }
            if (!predecessorDealtWith) {
                if (floorPinned()) {
                    if (!fillGap(subject, previous, sequence)) {
                        finished(sequence);
                        nakQuietly(message, sequence);
                        return;
                    }
                } else if (!handed.predecessorDealtWith(subject, previous)) { // floorPinned() read the floor again
                    startWaiting(message, subject, previous, sequence, fingerprint);
                    return;
                }
            }
            if (handed.laterHanded(subject, sequence)) {
                LOG.log(Level.WARNING, "Subscription '" + subscriber.name() + "': message " + sequence + " of "
                        + stream.getStreamName() + " arrived after a later message of its actor was handed on; "
                        + "handling it late");
            }
        }
        handOn(message, sequence, subject, fingerprint);
    }

    private void startWaiting(Message message, String subject, long previous, long sequence, long fingerprint) {
        startWaiting(message, subject, previous, sequence, fingerprint, System.nanoTime() + ORDER_GAP_GRACE.toNanos(),
                false);
    }

    private void startWaiting(Message message, String subject, long previous, long sequence, long fingerprint,
                              long graceEnds,
                              boolean forRedelivery) {
        lastWaitStarted = System.nanoTime();
        waiting.put(sequence, new Waiting(message, subject, previous, fingerprint, graceEnds, forRedelivery));
    }

    /**
     * @return whether what earlier owners of the partition left unacknowledged may still come here: then a missing
     *         predecessor is awaited, not read from the stream (see {@link #earlierOwnersSettled})
     */
    private boolean inTakeoverWindow() {
        return deliveredBeforeTakeover > 0 && !earlierOwnersSettled && System.nanoTime() - takeoverGivesUpAt < 0;
    }

    /**
     * @return whether an earlier owner of the partition acknowledged the message: the consumer delivered it
     *         before the takeover and nothing is unacknowledged outside this reader since (false when unpartitioned)
     */
    private boolean acknowledgedByEarlierOwner(long sequence) {
        return earlierOwnersSettled && sequence > 0 && sequence <= deliveredBeforeTakeover;
    }

    private Duration pullExpiry() {
        boolean recentWait = System.nanoTime() - lastWaitStarted < SHORT_FETCHES_AFTER_WAIT.toNanos();
        Duration fetchExpiry = settings.fetchExpiry();
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
            boolean waitOn = now - w.graceEnds < 0
                    && (w.forRedelivery ? !earlierOwnersSettled : handed.floor() != floorAtLastTimeout);
            if (!dealtWith && waitOn) {
                blocked.add(w.subject);
                continue;
            }
            if (!dealtWith && !w.forRedelivery) {
                floorAtLastTimeout = handed.floor();
            }
            messages.remove();
            if (handed.handedAs(w.subject, sequence, w.fingerprint)) {
                lateCopy(w.message, sequence);
            } else if (!dealtWith && acknowledgedByEarlierOwner(w.previous)) {
                LOG.log(Level.DEBUG, "Subscription '" + subscriber.name() + "': message " + w.previous + " of "
                        + stream.getStreamName() + " was acknowledged by an earlier owner of partition " + partition
                        + "; not handled again");
                handOn(w.message, sequence, w.subject, w.fingerprint);
            } else if (!fillGap(w.subject, w.previous, sequence)) {
                finished(sequence);
                nakQuietly(w.message, sequence);
                blocked.add(w.subject);
            } else {
                handOn(w.message, sequence, w.subject, w.fingerprint);
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

    /**
     * Sends a message's events to the delivery loop, in order behind what was handed on before.
     *
     * @param fingerprint the {@link HandedSequences#fingerprint} of its body
     */
    private void handOn(Message message, long sequence, String subject, long fingerprint) {
        handed.hand(subject, sequence, fingerprint);
        int deliveries = (int) Math.min(Integer.MAX_VALUE, message.metaData().deliveredCount());
        List<Event> events;
        try {
            events = settings.codec().decodeMessage(message.getData());
        } catch (RuntimeException e) {
            parkUndecodable(message, sequence, deliveries, e);
            return;
        }
        List<Event> wanted = events.stream().filter(subscriber.filter()::matches).toList();
        if (wanted.isEmpty()) {
            dealtWith(subject, sequence);
            message.ack();
            finished(sequence);
            return;
        }
        StoredMessage stored = new StoredMessage(message, message, sequence, events.size() > 1, wanted.size());
        for (Event event : wanted) {
            subscriber.delivery().submit(namespace, event, deliveries, stored.acknowledgerOf(event));
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
            while (wanted > 0 && wanted < sequence && !handed.predecessorDealtWith(subject, wanted)
                    && !acknowledgedByEarlierOwner(wanted)) {
                MessageInfo info;
                try {
                    info = settings.management().getMessage(stream.getStreamName(), wanted);
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() == NatsJetStreamConstants.JS_NO_MESSAGE_FOUND_ERR) {
                        break; // deleted or aged out: nothing to deliver
                    }
                    throw e;
                }
                if (!subject.equals(info.getSubject())) {
                    // A predecessor is on its actor's subject; the stream holds another message at that sequence
                    // now (replicas that diverged): the chain ends here, rather than hand on another actor's events.
                    LOG.log(Level.WARNING, "Subscription '" + subscriber.name() + "': message " + wanted + " of "
                            + stream.getStreamName() + ", named as a predecessor on " + subject + ", is on "
                            + info.getSubject() + "; not read further back");
                    break;
                }
                missing.push(info);
                long next = previousOf(info.getHeaders());
                if (next >= wanted) {
                    break;
                }
                wanted = next;
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Subscription '" + subscriber.name() + "': could not read the messages of "
                    + subject + " missing before " + sequence + "; waiting for its redelivery", e);
            return false;
        }
        if (!missing.isEmpty()) {
            LOG.log(Level.DEBUG, "Subscription '" + subscriber.name() + "': " + missing.size()
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
        handed.hand(subject, sequence, HandedSequences.fingerprint(info.getData()));
        List<Event> events;
        try {
            events = settings.codec().decodeMessage(info.getData());
        } catch (RuntimeException e) {
            return; // parked when its own delivery comes: undecodable messages have no order to keep
        }
        List<Event> wanted = events.stream().filter(subscriber.filter()::matches).toList();
        if (wanted.isEmpty()) {
            return;
        }
        Message standIn = NatsMessage.builder().subject(info.getSubject()).headers(info.getHeaders())
                .data(info.getData()).build();
        StoredMessage stored = new StoredMessage(standIn, null, sequence, events.size() > 1, wanted.size());
        filledUnfinished.put(sequence, stored);
        for (Event event : wanted) {
            subscriber.delivery().submit(namespace, event, 1, stored.acknowledgerOf(event));
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
        LOG.log(Level.ERROR, "Subscription '" + subscriber.name() + "': message " + sequence + " of "
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
        String messageId = stream.getStreamName() + ":" + sequence + ":" + subscriber.name()
                + (ofBatch ? ":" + event.version() : "");
        ParkingLot.Origin origin = new ParkingLot.Origin(subscriber.name(), namespace, stream.getStreamName(), sequence);
        byte[] body = ofBatch ? settings.codec().encode(event) : message.getData();
        return settings.parkingLot().park(origin, event, body, messageId, deliveries, failure);
    }

    /** Hands a message back to the server, to come again after the longest retry back-off. */
    private void giveBack(Message message, long sequence) {
        awaitingRedelivery.add(sequence);
        if (message == null) {
            return; // read to fill a gap: the server delivers it anyway
        }
        try {
            message.nakWithDelay(subscriber.options().maxRetryBackoff());
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
     * A delivery waiting for its actor's predecessor.
     *
     * @param message   the delivery
     * @param subject   its actor's subject
     * @param previous  its predecessor's sequence ({@code Nats-Expected-Last-Subject-Sequence})
     * @param fingerprint the {@link HandedSequences#fingerprint} of its body
     * @param graceEnds when ({@link System#nanoTime()}) the predecessor is read from the stream instead
     * @param forRedelivery whether it waits, after a takeover, until the predecessor is redelivered or earlier
     *                  owners have nothing unacknowledged left ({@link #earlierOwnersSettled})
     */
    private record Waiting(Message message, String subject, long previous, long fingerprint, long graceEnds,
                           boolean forRedelivery) {
    }

    /** An event read and not yet acknowledged, and when its ack deadline was last extended. */
    private static final class InFlight {
        final Message message;
        volatile long extendedAt = System.nanoTime();

        InFlight(Message message) {
            this.message = message;
        }
    }
}
