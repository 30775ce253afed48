package dev.aether.jetstream;

import dev.aether.ActorId;
import dev.aether.ActorSnapshot;
import dev.aether.AetherException;
import dev.aether.DuplicateEventIdException;
import dev.aether.Event;
import dev.aether.Namespace;
import dev.aether.SnapshotStore;
import dev.aether.StoreUnavailableException;
import dev.aether.VersionConflictException;
import dev.aether.spi.EventBatch;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The production {@link SnapshotStore}: one JetStream stream per namespace, one subject per actor,
 * with the version check enforced by the server so that any number of processes can write the same
 * actor safely.
 *
 * <pre>{@code
 * JetStreamEventStore store = JetStreamEventStore.builder(connection)
 *     .namespace("tenant-a.orders")
 *     .replicas(3)
 *     .build();
 * }</pre>
 *
 * <p><b>Writes.</b> Each save is one message on the actor's subject: one event as a JSON object,
 * a {@link #saveEvents(List) batch} of several as a JSON array, which JetStream stores whole or not
 * at all on every server version, so no reader ever sees part of a batch
 * ({@code docs/wire-format.md}). Each publish carries
 * {@code Nats-Expected-Last-Subject-Sequence} (the stream sequence of the actor's last message, 0 for
 * none), so the server rejects it atomically if anyone wrote the actor in between; the store then
 * re-reads the actor's last message and retries only while the (first) version is still above it,
 * else throws {@link VersionConflictException}. Each publish also carries {@code Nats-Msg-Id} =
 * (actor, first version), which closes the same-version race on every server version (nats-server
 * 2.9.x before 2.9.21 checks the expected sequence of replicated streams too early,
 * nats-server#4320). A publish whose acknowledgement is lost is retried with the same id and
 * expectation up to {@link Builder#publishAttempts(int)} times, then fails with a
 * {@link StoreUnavailableException} whose {@code outcomeUnknown()} is true. A message whose headers
 * plus body exceed the server's {@code max_payload} is refused before anything is sent; a batch is
 * never split.
 *
 * <p><b>Re-saves and duplicate ids.</b> A save whose first version the actor already holds is
 * settled by reading what is stored (the latest message at once, else a binary search for the
 * message holding that version): if every event is stored with the same id at the same version it
 * is a success and nothing is written, from any store instance or process, for as long as the stream
 * holds those events (for ever unless {@link Builder#maxAge(Duration)} is set); otherwise a conflict.
 * Ids are compared as decoded strings. A save holding an event id that the actor's <em>latest
 * message</em> holds (its latest event, or every event of its latest batch) fails with
 * {@link DuplicateEventIdException}: that window catches the usual duplicate, a retried command that
 * reloads and saves the same event at the next version. An id reused further back is not detected.
 *
 * <p><b>Asynchronous saves</b> ({@link #saveEventAsync(Event)}, {@link #saveEventsAsync(List)}) are
 * pipelined: saves of different actors are in flight together, the saves of one actor are published
 * one after the other in call order, each expecting the sequence the one before was stored at. A
 * save whose actor's tip this store knows costs one publish and no other request; every other
 * outcome (unknown tip, conflict, duplicate, lost acknowledgement, which the connection reports
 * after its request cleanup interval) is settled by the synchronous logic on a pool thread, so a
 * future fails with exactly the exception the synchronous call would throw. At most
 * {@link Builder#maxSavesInFlight(int)} saves (default 1024) are unfinished at once; a caller beyond
 * that waits.
 *
 * <p><b>Reads.</b> {@link #getLatestVersion(String)} is one request (the subject's last message),
 * whatever the stream holds. {@link #getEvents(String, long)} always starts with that request too (the
 * read ends at that message, so a concurrent writer never tears it, and another process's new events
 * are seen at once), then reads only what it does not hold: a bounded read cache keeps the whole
 * history of recently read or saved actors ({@link Builder#readCacheEvents(int)}, 50,000 events by
 * default), so reloading an unchanged actor costs that one request and no decoding. Newer messages,
 * and the last events of an actor read from a version near its end, are read by walking back from the
 * last message along {@code Nats-Expected-Last-Subject-Sequence} with one get by sequence per message,
 * which never makes the server filter the stream by subject (nats-server 2.9 walks the stream to do
 * that). Longer reads go forwards as before: a binary search by version over stream sequences, then one
 * filtered get per message or, beyond a few dozen events, an ordered consumer filtered on the actor's
 * subject. The batch direct get of nats-server 2.11 is not used yet. See {@code docs/design.md}.
 *
 * <p><b>Subject layout.</b> The namespace's stream is {@link SubjectLayout#FLAT flat} (one subject
 * {@code <prefix>.<namespace>.<actor>} per actor, the default) or {@link SubjectLayout#PARTITIONED
 * partitioned} (the actor's ten hash bits as tokens before it, so that partitioned subscriptions with a
 * power-of-two count are filtered by the server), chosen by {@link Builder#subjectLayout} when this store
 * creates the stream. An existing stream's layout, read from its subjects, always wins; every save and read
 * uses it.
 *
 * <p><b>Snapshots</b> live in the namespace's KV bucket, one key per actor, written by compare-and-set
 * on the key's revision so that a lower version never replaces a higher one, even between processes.
 *
 * <p>The caller owns the {@link Connection}; the store holds nothing that needs closing, and starts
 * threads (daemon, ended when idle) only for asynchronous saves that need the synchronous logic.
 * Names of streams, subjects and buckets come from {@link SubjectCodec}; bodies and headers from
 * {@link EventCodec}; reads go through {@code ActorReader}. Thread-safe.
 */
public final class JetStreamEventStore implements SnapshotStore {

    /** Wrong last sequence: the expected-last-subject-sequence check failed. */
    private static final int WRONG_LAST_SEQUENCE = NatsJetStreamConstants.JS_WRONG_LAST_SEQUENCE;
    /** No message found. */
    private static final int NO_MESSAGE_FOUND = NatsJetStreamConstants.JS_NO_MESSAGE_FOUND_ERR;
    /** Room for the expected-sequence header that KV create and update add to a snapshot. */
    private static final int KV_HEADER_ALLOWANCE = 96;
    /** Bound on re-reads when other writers keep moving the actor ahead of a save that stays valid. */
    private static final int MAX_REBASES = 1000;
    /** Bound on the per-actor cache of (version, sequence); cleared when full. */
    private static final int MAX_CACHED_ACTORS = 10_000;
    private static final int MAX_SNAPSHOT_ATTEMPTS = 100;
    private static final System.Logger LOG = System.getLogger(JetStreamEventStore.class.getName());

    private final Connection connection;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final KeyValue snapshots;
    private final EventCodec codec = new EventCodec();
    private final String prefix;
    private final String namespace;
    private final String streamName;
    private final SubjectLayout layout;
    private final int publishAttempts;
    private final Duration requestTimeout;
    private final JetStreamOptions jetStreamOptions;
    private final int maxSavesInFlight;
    private final Map<String, Tip> tips = new ConcurrentHashMap<>();
    private final SavePipeline pipeline;
    /** The snapshot bucket and its stream, as a refused subject may name them. */
    private final String[] bucketNames;
    private final ReadCache readCache;
    private final ActorReader reader;

    private JetStreamEventStore(Builder b) {
        this.connection = b.connection;
        this.prefix = b.streamPrefix;
        this.namespace = b.namespace;
        this.streamName = SubjectCodec.streamName(prefix, namespace);
        this.publishAttempts = b.publishAttempts;
        this.requestTimeout = b.requestTimeout;
        String bucket = SubjectCodec.snapshotBucket(prefix, namespace);
        JetStreamOptions options = JetStreamOptions.builder().requestTimeout(b.requestTimeout).build();
        this.jetStreamOptions = options;
        this.maxSavesInFlight = b.maxSavesInFlight;
        KeyValueManagement kvm;
        try {
            this.js = connection.jetStream(options);
            this.jsm = connection.jetStreamManagement(options);
            kvm = connection.keyValueManagement(KeyValueOptions.builder().jetStreamOptions(options).build());
        } catch (IOException | IllegalStateException e) {
            throw new StoreUnavailableException("Could not reach JetStream for namespace '" + namespace + "'", e);
        }
        this.bucketNames = new String[] {bucket, StreamProvisioner.KV_STREAM_PREFIX + bucket};
        try {
            this.layout = layoutOf(StreamProvisioner.ensureStream(jsm, StreamProvisioner.desiredStream(b, streamName,
                    SubjectCodec.streamSubjects(prefix, namespace, b.subjectLayout)), List.of(
                    SubjectCodec.streamSubjects(prefix, namespace, SubjectLayout.FLAT),
                    SubjectCodec.streamSubjects(prefix, namespace, SubjectLayout.PARTITIONED))), b.subjectLayout);
            StreamProvisioner.ensureBucket(kvm, jsm, StreamProvisioner.desiredSnapshotBucket(b, bucket), "snapshot bucket");
        } catch (StoreUnavailableException e) {
            throw PermissionViolations.explain(connection, e, streamName, bucketNames[0], bucketNames[1]);
        }
        boolean racyServer = warnAboutReplicatedRaceOnOldServers(b.replicas);
        this.readCache = new ReadCache(b.readCacheEvents);
        this.reader = new ActorReader(connection, jsm, options, streamName, requestTimeout, codec, readCache, !racyServer);
        this.pipeline = new SavePipeline(this, js, b.maxSavesInFlight);
        try {
            this.snapshots = connection.keyValue(bucket, KeyValueOptions.builder().jetStreamOptions(options).build());
        } catch (IOException | IllegalStateException e) {
            throw PermissionViolations.explain(connection,
                    new StoreUnavailableException("Could not open the snapshot bucket '" + bucket + "'", e), bucketNames);
        }
    }

    /**
     * @param connection an open NATS connection to a server with JetStream enabled; the caller keeps owning it
     * @return a builder with the defaults documented on each setter
     */
    public static Builder builder(Connection connection) {
        return new Builder(connection);
    }

    /** @return the namespace whose events this store holds */
    public String namespace() {
        return namespace;
    }

    /** @return the name of the namespace's JetStream stream */
    public String streamName() {
        return streamName;
    }

    /**
     * @return the subject layout of the namespace's stream: the one this store created it with, or, for a
     *         stream that existed, the stream's own (which wins over {@link Builder#subjectLayout})
     */
    public SubjectLayout subjectLayout() {
        return layout;
    }

    /** @return the subject of the actor's events in the stream's layout */
    private String subjectOf(String actorId) {
        return SubjectCodec.subject(prefix, namespace, layout, actorId);
    }

    /**
     * The layout of the stream in place, read from its subjects. An existing stream keeps its layout whatever
     * the builder asked for: its events are on its subjects, and every reader finds the layout the same way.
     */
    private SubjectLayout layoutOf(StreamConfiguration stream, SubjectLayout requested) {
        SubjectLayout found = SubjectCodec.layoutOf(prefix, namespace, stream.getSubjects())
                .orElseThrow(() -> new IncompatibleStreamException("The JetStream stream '" + streamName
                        + "' has the subjects of both layouts, " + stream.getSubjects()
                        + "; a namespace's stream must have exactly one: remove one of them"));
        if (found != requested) {
            LOG.log(System.Logger.Level.INFO, "Stream {0} exists with the {1} subject layout; the store uses it "
                    + "rather than the {2} layout it was built with (a layout is chosen when the stream is created)",
                    streamName, found, requested);
        }
        return found;
    }

    @Override
    public void saveEvent(Event event) {
        Objects.requireNonNull(event, "event must not be null");
        save(EventBatch.of(List.of(event)));
    }

    @Override
    public void saveEvents(List<Event> events) {
        save(EventBatch.of(events));
    }

    /**
     * Publishes without waiting (see the class description): saves of different actors are in flight
     * together, saves of one actor are applied in call order. At most {@link Builder#maxSavesInFlight(int)}
     * saves are unfinished at once; beyond that this call waits. Do not wait for other saves' futures
     * in a callback of one: callbacks may run on the connection's thread.
     */
    @Override
    public CompletableFuture<Void> saveEventAsync(Event event) {
        Objects.requireNonNull(event, "event must not be null");
        return pipeline.save(EventBatch.of(List.of(event)));
    }

    /** The asynchronous {@link #saveEvents(List)}, ordered and bounded as {@link #saveEventAsync(Event)}. */
    @Override
    public CompletableFuture<Void> saveEventsAsync(List<Event> events) {
        Objects.requireNonNull(events, "events must not be null");
        EventBatch batch;
        try {
            batch = EventBatch.of(events);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return pipeline.save(batch);
    }

    /** @return the bound on unfinished asynchronous saves */
    public int maxSavesInFlight() {
        return maxSavesInFlight;
    }

    /**
     * Saves a checked batch (one event or more) as one message: publishes with the actor's tip as the
     * expected last subject sequence, and resolves every other answer (conflict, duplicate, lost ack).
     * A failure after a publish whose answer was lost (a read settling it, say) says the outcome is
     * unknown: that publish may have stored the batch.
     */
    void save(EventBatch batch) {
        save(batch, Attempt.NONE);
    }

    /**
     * Saves a batch whose asynchronous publish failed or went unanswered: as {@link #save(EventBatch)}, knowing
     * that the publish may have stored it.
     */
    void saveAfterUnansweredPublish(EventBatch batch) {
        save(batch, Attempt.UNANSWERED);
    }

    private void save(EventBatch batch, Attempt before) {
        OutgoingBatch out = outgoing(batch);
        SaveProgress progress = new SaveProgress(before);
        try {
            save(batch, out, progress);
        } catch (StoreUnavailableException e) {
            if (progress.attempt.outcomeWasUnknown() && !e.outcomeUnknown()) {
                throw new StoreUnavailableException(e.getMessage() + " after a publish of " + out.description()
                        + " went unanswered (outcome unknown: it may be stored)", e, true);
            }
            throw e;
        }
    }

    private void save(EventBatch batch, OutgoingBatch out, SaveProgress progress) {
        String subject = out.subject();
        Tip cached = tips.get(subject);
        Tip tip = cached != null ? cached : readTip(subject, batch.actorId());
        boolean fresh = cached == null;
        for (int round = 0; round < MAX_REBASES; round++) {
            if (batch.firstVersion() <= tip.version()) {
                if (!fresh) {
                    tip = readTip(subject, batch.actorId());
                    fresh = true;
                    continue;
                }
                requireStored(batch, subject, tip);
                return;
            }
            if (!refuseDuplicateIds(batch, tip, fresh)) {
                tip = readTip(subject, batch.actorId());
                fresh = true;
                continue;
            }
            NatsMessage message = out.message(codec, tip.sequence());
            checkSize(out, message);
            Attempt attempt = publish(message, out, progress.attempt);
            progress.attempt = attempt;
            switch (attempt.result()) {
                case STORED -> {
                    remember(subject, Tip.of(batch, attempt.sequence()));
                    written(out, tip.sequence(), attempt.sequence());
                    return;
                }
                case DUPLICATE -> {
                    // A message with this id is stored: the actor holds the first version, by this save or another.
                    requireStored(batch, subject, readTip(subject, batch.actorId()));
                    return;
                }
                case WRONG_SEQUENCE -> {
                    if (attempt.outcomeWasUnknown() && storedAfter(tip.sequence(), subject, batch)) {
                        tips.remove(subject);
                        return;
                    }
                    tip = readTip(subject, batch.actorId());
                    fresh = true;
                }
            }
        }
        throw new AetherException("Gave up saving " + out.description() + " after " + MAX_REBASES
                + " rounds of concurrent writes that kept it above the latest version");
    }

    @Override
    public List<Event> getEvents(String actorId, long fromVersion) {
        ActorId.requireValid(actorId);
        if (fromVersion < 0) {
            throw new IllegalArgumentException("fromVersion must not be negative, was " + fromVersion);
        }
        return reader.events(subjectOf(actorId), actorId, fromVersion);
    }

    @Override
    public long getLatestVersion(String actorId) {
        ActorId.requireValid(actorId);
        String subject = subjectOf(actorId);
        Tip tip = readTip(subject, actorId);
        return tip.version();
    }

    @Override
    public void saveSnapshot(ActorSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot must not be null");
        String key = SubjectCodec.actorToken(snapshot.actorId());
        byte[] body = codec.encode(snapshot);
        long maxPayload = connection.getServerInfo().getMaxPayload();
        if (maxPayload > 0 && body.length + KV_HEADER_ALLOWANCE > maxPayload) {
            throw new IllegalArgumentException("snapshot of actor '" + snapshot.actorId() + "' is " + body.length
                    + " bytes (+ up to " + KV_HEADER_ALLOWANCE + " bytes of headers), above the server's max_payload of "
                    + maxPayload + " bytes; nothing was written");
        }
        try {
            for (int attempt = 0; attempt < MAX_SNAPSHOT_ATTEMPTS; attempt++) {
                KeyValueEntry current = snapshots.get(key);
                try {
                    if (current == null || current.getOperation() != KeyValueOperation.PUT) {
                        snapshots.create(key, body);
                    } else if (codec.decodeSnapshot(current.getValue()).version() > snapshot.version()) {
                        return;
                    } else {
                        snapshots.update(key, body, current.getRevision());
                    }
                    return;
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                        throw e;
                    }
                    // Another saver wrote the key in between: read it again and decide again.
                }
            }
            throw new AetherException("Gave up saving the snapshot of actor '" + snapshot.actorId()
                    + "' after " + MAX_SNAPSHOT_ATTEMPTS + " concurrent updates of its key");
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw PermissionViolations.explain(connection, new StoreUnavailableException(
                    "Could not save the snapshot of actor '" + snapshot.actorId() + "'", e, e instanceof IOException),
                    bucketNames);
        }
    }

    @Override
    public Optional<ActorSnapshot> getLatestSnapshot(String actorId) {
        ActorId.requireValid(actorId);
        try {
            KeyValueEntry entry = snapshots.get(SubjectCodec.actorToken(actorId));
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                return Optional.empty();
            }
            ActorSnapshot snapshot = codec.decodeSnapshot(entry.getValue());
            // A hashed key could in theory be shared by two ids; the body names the real one.
            return snapshot.actorId().equals(actorId) ? Optional.of(snapshot) : Optional.empty();
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw PermissionViolations.explain(connection,
                    new StoreUnavailableException("Could not read the snapshot of actor '" + actorId + "'", e), bucketNames);
        }
    }

    /** @return the batch encoded for its actor's subject */
    OutgoingBatch outgoing(EventBatch batch) {
        return OutgoingBatch.of(codec, subjectOf(batch.actorId()), batch);
    }

    /**
     * The message an asynchronous save may publish at once: when the actor's tip is cached, the batch's
     * first version is above it and the tip holds none of its ids. Any other case is the synchronous
     * save's to settle.
     *
     * @return the message expecting the cached tip, or null
     * @throws IllegalArgumentException if the message is above the server's max_payload
     */
    NatsMessage directMessage(OutgoingBatch out) {
        Tip tip = tips.get(out.subject());
        EventBatch batch = out.batch();
        if (tip == null || batch.firstVersion() <= tip.version() || !refuseDuplicateIds(batch, tip, false)) {
            return null;
        }
        NatsMessage message = out.message(codec, tip.sequence());
        checkSize(out, message);
        return message;
    }

    /**
     * Records that an asynchronous save stored {@code message}, made of {@code out}, at stream sequence
     * {@code sequence}.
     */
    void stored(OutgoingBatch out, NatsMessage message, long sequence) {
        remember(out.subject(), Tip.of(out.batch(), sequence));
        String previous = message.getHeaders().getFirst(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR);
        written(out, Long.parseLong(previous), sequence);
    }

    /** Adds a message this store wrote to the read cache, when that holds the actor up to its predecessor. */
    private void written(OutgoingBatch out, long previousSequence, long sequence) {
        readCache.written(out.subject(), previousSequence, out.batch().events(), sequence,
                ReadCache.fingerprint(out.body(), Long.toString(previousSequence)));
    }

    /** @return the bound on the events the read cache holds over all actors; 0 when there is no cache */
    public int readCacheEvents() {
        return readCache.maxEvents();
    }

    /** @return the number of events the read cache holds over all actors */
    long cachedEvents() {
        return readCache.cachedEvents();
    }

    /**
     * Publishes, retrying while the acknowledgement is lost, until {@link #publishAttempts} acknowledgements
     * have been lost in this save (counting those lost by {@code previous} rounds).
     */
    private Attempt publish(NatsMessage message, OutgoingBatch out, Attempt previous) {
        Exception lastFailure = null;
        boolean unknown = previous.outcomeWasUnknown();
        int lostAcks = previous.lostAcks();
        while (lostAcks < publishAttempts) {
            try {
                PublishAck ack = js.publish(message);
                return new Attempt(ack.isDuplicate() ? Result.DUPLICATE : Result.STORED, ack.getSeqno(), unknown,
                        lostAcks);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                    return new Attempt(Result.WRONG_SEQUENCE, 0, unknown, lostAcks);
                }
                throw new StoreUnavailableException("JetStream refused " + out.description() + ": " + e.getMessage(),
                        e, unknown);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // jnats turned an interrupt into this IOException and restored the flag: stop, do not retry.
                    throw new StoreUnavailableException("Interrupted while publishing " + out.description(), e, true);
                }
                PermissionViolations.reported(connection, "Could not publish " + out.description(), e,
                        message.getSubject()).ifPresent(denied -> {
                            throw denied;
                        });
                // Timeout or lost connection: the message may have been stored; retry with the same id.
                lastFailure = e;
                unknown = true;
                lostAcks++;
            } catch (IllegalStateException e) {
                throw new StoreUnavailableException("Could not publish " + out.description(), e, unknown);
            }
        }
        throw new StoreUnavailableException("No acknowledgement for " + out.description() + " after " + lostAcks
                + " unanswered attempts", lastFailure, true);
    }

    /** After an unacknowledged attempt, tells whether that attempt stored the batch right after {@code sequence}. */
    private boolean storedAfter(long sequence, String subject, EventBatch batch) {
        MessageInfo next;
        try {
            next = jsm.getNextMessage(streamName, sequence + 1, subject);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return false;
            }
            throw unavailable("read actor '" + batch.actorId() + "'", e);
        } catch (IOException | IllegalStateException e) {
            throw unavailable("read actor '" + batch.actorId() + "'", e);
        }
        return holdsAll(versionsById(reader.decode(next.getData(), next.getSeq(), batch.actorId())), batch);
    }

    /**
     * Settles a save whose first version the actor already holds ({@code tip} is fresh): a re-save,
     * every event stored with the same id at the same version, is a success whoever stored it; anything
     * else is a conflict.
     */
    private void requireStored(EventBatch batch, String subject, Tip tip) {
        if (!isStored(batch, subject, tip)) {
            // After a duplicate answer the actor holds the first version even if the tip read says less.
            throw new VersionConflictException(batch.actorId(), batch.firstVersion(),
                    Math.max(batch.firstVersion(), tip.version()));
        }
    }

    /**
     * Whether every event of the batch is stored with the same id at the same version: no request when
     * the latest message holds them (the usual retry), else a binary search for the message holding
     * the first version and one request per message from there.
     */
    private boolean isStored(EventBatch batch, String subject, Tip tip) {
        if (batch.lastVersion() > tip.version()) {
            return false;
        }
        if (holdsAll(tip.versionsById(), batch)) {
            return true;
        }
        Map<String, Long> stored = new HashMap<>();
        long sequence = reader.firstSequenceAtOrAbove(subject, batch.firstVersion(), tip.sequence());
        while (sequence <= tip.sequence()) {
            MessageInfo info = reader.nextMessage(sequence, subject);
            List<Event> events = reader.decode(info.getData(), info.getSeq(), batch.actorId());
            stored.putAll(versionsById(events));
            if (events.get(events.size() - 1).version() >= batch.lastVersion()) {
                break;
            }
            sequence = info.getSeq() + 1;
        }
        return holdsAll(stored, batch);
    }

    /**
     * Refuses a batch holding an event id that the actor's latest message holds (the duplicate window
     * on JetStream). A duplicate found in a cached tip is confirmed against a fresh one first, so that
     * a version conflict is reported as such, as the in-memory store does.
     *
     * @return false if the tip was stale and must be read again
     */
    private boolean refuseDuplicateIds(EventBatch batch, Tip tip, boolean fresh) {
        for (Event event : batch.events()) {
            Long stored = tip.versionsById().get(event.id());
            if (stored != null) {
                if (!fresh) {
                    return false;
                }
                throw new DuplicateEventIdException(event.actorId(), event.id(), stored, event.version());
            }
        }
        return true;
    }

    private static boolean holdsAll(Map<String, Long> versionsById, EventBatch batch) {
        for (Event event : batch.events()) {
            Long stored = versionsById.get(event.id());
            if (stored == null || stored != event.version()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Long> versionsById(List<Event> events) {
        Map<String, Long> versions = new HashMap<>();
        for (Event event : events) {
            versions.put(event.id(), event.version());
        }
        return versions;
    }

    private void checkSize(OutgoingBatch out, NatsMessage message) {
        long maxPayload = connection.getServerInfo().getMaxPayload();
        int headerLength = message.getHeaders().serializedLength();
        long size = (long) headerLength + out.body().length;
        if (maxPayload > 0 && size > maxPayload) {
            throw new IllegalArgumentException(out.description() + " is " + size + " bytes (headers " + headerLength
                    + " + body " + out.body().length + "), above the server's max_payload of " + maxPayload
                    + " bytes; nothing was written");
        }
    }

    private void remember(String subject, Tip tip) {
        if (tips.size() >= MAX_CACHED_ACTORS) {
            tips.clear();
        }
        tips.put(subject, tip);
    }

    /** Reads the actor's last event: one request. */
    private Tip readTip(String subject, String actorId) {
        Optional<MessageInfo> last = reader.lastMessage(subject);
        Tip tip = last.map(m -> tipOf(m, actorId)).orElse(Tip.NONE);
        remember(subject, tip);
        return tip;
    }

    /** The tip a stored message of the actor makes, checked: its last version and the ids of its events. */
    private Tip tipOf(MessageInfo info, String actorId) {
        List<Event> events = reader.checkedEvents(info, actorId);
        return new Tip(events.get(events.size() - 1).version(), info.getSeq(), versionsById(events));
    }

    /** @return whether the server may store two messages of one actor that expect the same predecessor */
    private boolean warnAboutReplicatedRaceOnOldServers(int replicas) {
        String version = connection.getServerInfo().getVersion();
        if (replicas > 1 && connection.getServerInfo().isOlderThanVersion("2.9.21")) {
            LOG.log(System.Logger.Level.WARNING,
                    "nats-server {0} checks the expected sequence of replicated streams before the Raft proposal "
                            + "(nats-server#4320): two writers of different versions from the same read may both "
                            + "be stored in stream {1}. Use nats-server 2.9.21 or newer with replicas > 1.",
                    version, streamName);
            return true;
        }
        return false;
    }

    private RuntimeException unavailable(String what, Exception cause) {
        return reader.unavailable(what, cause);
    }

    /**
     * The actor's last message as known: its last version, its stream sequence (0, 0 for none), and the
     * version of each event id it holds.
     */
    private record Tip(long version, long sequence, Map<String, Long> versionsById) {
        static final Tip NONE = new Tip(0, 0, Map.of());

        static Tip of(EventBatch batch, long sequence) {
            List<Event> events = batch.events();
            return new Tip(batch.lastVersion(), sequence, events.size() == 1
                    ? Map.of(events.get(0).id(), events.get(0).version())
                    : JetStreamEventStore.versionsById(events));
        }
    }

    private enum Result { STORED, DUPLICATE, WRONG_SEQUENCE }

    /**
     * What one publish (with its retries) came to; {@code outcomeWasUnknown} if an earlier try of this save
     * lost its ack, {@code lostAcks} how many did.
     */
    private record Attempt(Result result, long sequence, boolean outcomeWasUnknown, int lostAcks) {
        /** Before the first publish of a save. */
        static final Attempt NONE = new Attempt(null, 0, false, 0);
        /** Before the first synchronous publish of a save whose asynchronous publish went unanswered. */
        static final Attempt UNANSWERED = new Attempt(null, 0, true, 0);
    }

    /**
     * The last publish of one save. Lost acknowledgements are counted over the whole save, not per round, so
     * that the time spent waiting for answers that never come stays within publishAttempts * requestTimeout.
     */
    private static final class SaveProgress {
        Attempt attempt;

        SaveProgress(Attempt before) {
            this.attempt = before;
        }
    }

    /**
     * Configures a {@link JetStreamEventStore}. Every default is stated on its setter and held in one
     * constant here.
     */
    public static final class Builder {

        /** Default namespace. */
        public static final String DEFAULT_NAMESPACE = "default";
        /** Default number of stream replicas. */
        public static final int DEFAULT_REPLICAS = 1;
        /** Default storage. */
        public static final StorageType DEFAULT_STORAGE_TYPE = StorageType.File;
        /** Default maximum age of events: zero, meaning events never expire. */
        public static final Duration DEFAULT_MAX_AGE = Duration.ZERO;
        /** Default maximum stream size: -1, meaning unlimited. */
        public static final long DEFAULT_MAX_BYTES = -1;
        /** Default window in which JetStream remembers message ids, the NATS default. */
        public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(2);
        /** Default time to wait for one JetStream answer. */
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
        /** Default number of tries of a publish whose acknowledgement is lost. */
        public static final int DEFAULT_PUBLISH_ATTEMPTS = 3;
        /** Default bound on unfinished asynchronous saves. */
        public static final int DEFAULT_MAX_SAVES_IN_FLIGHT = 1024;
        /** Default bound on the events the read cache holds over all actors. */
        public static final int DEFAULT_READ_CACHE_EVENTS = 50_000;
        /** Default subject layout of a stream the store creates. */
        public static final SubjectLayout DEFAULT_SUBJECT_LAYOUT = SubjectLayout.FLAT;

        final Connection connection;
        String namespace = DEFAULT_NAMESPACE;
        int replicas = DEFAULT_REPLICAS;
        StorageType storageType = DEFAULT_STORAGE_TYPE;
        Duration maxAge = DEFAULT_MAX_AGE;
        long maxBytes = DEFAULT_MAX_BYTES;
        Duration duplicateWindow = DEFAULT_DUPLICATE_WINDOW;
        String streamPrefix = SubjectCodec.DEFAULT_PREFIX;
        Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        int publishAttempts = DEFAULT_PUBLISH_ATTEMPTS;
        int maxSavesInFlight = DEFAULT_MAX_SAVES_IN_FLIGHT;
        int readCacheEvents = DEFAULT_READ_CACHE_EVENTS;
        SubjectLayout subjectLayout = DEFAULT_SUBJECT_LAYOUT;

        private Builder(Connection connection) {
            this.connection = Objects.requireNonNull(connection, "connection must not be null");
        }

        /**
         * @param namespace dot-separated tokens of {@code [A-Za-z0-9_-]}; default {@value #DEFAULT_NAMESPACE}
         * @return this builder
         */
        public Builder namespace(String namespace) {
            this.namespace = Namespace.requireValid(namespace);
            return this;
        }

        /**
         * @param replicas copies of each event kept by a cluster, 1 to 5; default {@value #DEFAULT_REPLICAS}.
         *                 Use 3 in production clusters (nats-server 2.9.21 or newer)
         * @return this builder
         */
        public Builder replicas(int replicas) {
            if (replicas < 1 || replicas > 5) {
                throw new IllegalArgumentException("replicas must be between 1 and 5, was " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * @param storageType {@code File} (default, survives restarts) or {@code Memory}
         * @return this builder
         */
        public Builder storageType(StorageType storageType) {
            this.storageType = Objects.requireNonNull(storageType, "storageType must not be null");
            return this;
        }

        /**
         * @param maxAge how long events are kept; zero (default) keeps them for ever. Event sourcing
         *               normally needs every event: set this only for streams you can rebuild otherwise
         * @return this builder
         */
        public Builder maxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge must not be null");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
            }
            this.maxAge = maxAge;
            return this;
        }

        /**
         * @param maxBytes the stream's size limit in bytes, or -1 (default) for none. A full stream
         *                 refuses new events (discard policy {@code New}); it never drops old ones
         * @return this builder
         */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes != -1 && maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be -1 (unlimited) or positive, was " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * @param duplicateWindow how long JetStream remembers message ids to drop duplicate publishes;
         *                        default 2 minutes. Must cover the longest time a publish may be retried
         * @return this builder
         */
        public Builder duplicateWindow(Duration duplicateWindow) {
            Objects.requireNonNull(duplicateWindow, "duplicateWindow must not be null");
            if (duplicateWindow.isZero() || duplicateWindow.isNegative()) {
                throw new IllegalArgumentException("duplicateWindow must be positive, was " + duplicateWindow);
            }
            this.duplicateWindow = duplicateWindow;
            return this;
        }

        /**
         * @param streamPrefix first part of stream, subject and bucket names, 1 to 32 characters of
         *                     {@code [A-Za-z0-9-]}; default {@value SubjectCodec#DEFAULT_PREFIX}
         * @return this builder
         */
        public Builder streamPrefix(String streamPrefix) {
            this.streamPrefix = SubjectCodec.requireValidPrefix(streamPrefix);
            return this;
        }

        /**
         * @param requestTimeout how long to wait for one JetStream answer; default 2 seconds
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            Objects.requireNonNull(requestTimeout, "requestTimeout must not be null");
            if (requestTimeout.isZero() || requestTimeout.isNegative()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * @param publishAttempts tries of a publish whose acknowledgement is lost, at least 1; default
         *                        {@value #DEFAULT_PUBLISH_ATTEMPTS}. A save gives up after about
         *                        {@code publishAttempts * requestTimeout}
         * @return this builder
         */
        public Builder publishAttempts(int publishAttempts) {
            if (publishAttempts < 1) {
                throw new IllegalArgumentException("publishAttempts must be at least 1, was " + publishAttempts);
            }
            this.publishAttempts = publishAttempts;
            return this;
        }

        /**
         * @param maxSavesInFlight how many asynchronous saves may be unfinished at once, at least 1;
         *                         default {@value #DEFAULT_MAX_SAVES_IN_FLIGHT}. A caller that would
         *                         exceed it waits until one finishes
         * @return this builder
         */
        public Builder maxSavesInFlight(int maxSavesInFlight) {
            if (maxSavesInFlight < 1) {
                throw new IllegalArgumentException("maxSavesInFlight must be at least 1, was " + maxSavesInFlight);
            }
            this.maxSavesInFlight = maxSavesInFlight;
            return this;
        }

        /**
         * @param readCacheEvents the most events the read cache holds over all actors, or 0 for no cache;
         *                        default {@value #DEFAULT_READ_CACHE_EVENTS}. The cache keeps the whole
         *                        history of recently read or saved actors and drops the least recently
         *                        used actor first; an actor with more events is not cached. A cached read
         *                        still asks the server for the actor's latest message, so it sees other
         *                        writers' events at once. Each event costs its decoded size in memory
         * @return this builder
         */
        public Builder readCacheEvents(int readCacheEvents) {
            if (readCacheEvents < 0) {
                throw new IllegalArgumentException("readCacheEvents must be 0 (no cache) or positive, was "
                        + readCacheEvents);
            }
            this.readCacheEvents = readCacheEvents;
            return this;
        }

        /**
         * @param subjectLayout the subject layout of the namespace's stream if this store creates it; default
         *                      {@link SubjectLayout#FLAT}. {@link SubjectLayout#PARTITIONED} lets each
         *                      partition consumer of a partitioned subscription with a power-of-two count
         *                      receive only its partition's events. A stream that exists keeps its layout,
         *                      whatever this says: the store uses the stream's and logs the difference at
         *                      INFO ({@link JetStreamEventStore#subjectLayout()} tells which)
         * @return this builder
         */
        public Builder subjectLayout(SubjectLayout subjectLayout) {
            this.subjectLayout = Objects.requireNonNull(subjectLayout, "subjectLayout must not be null");
            return this;
        }

        /**
         * Creates the namespace's stream and snapshot bucket if missing, or adopts existing ones.
         *
         * @return the store
         * @throws IllegalArgumentException  if settings disagree: duplicate window above max age, or shorter
         *                                   than publishAttempts * requestTimeout
         * @throws IncompatibleStreamException if the stream exists with incompatible settings; the message names them
         * @throws StoreUnavailableException if JetStream could not be reached
         */
        public JetStreamEventStore build() {
            if (!maxAge.isZero() && duplicateWindow.compareTo(maxAge) > 0) {
                throw new IllegalArgumentException("duplicateWindow (" + duplicateWindow
                        + ") must not be longer than maxAge (" + maxAge + ")");
            }
            Duration longestRetry = requestTimeout.multipliedBy(publishAttempts);
            if (duplicateWindow.compareTo(longestRetry) < 0) {
                throw new IllegalArgumentException("duplicateWindow (" + duplicateWindow
                        + ") must cover publishAttempts * requestTimeout (" + longestRetry
                        + "), or a retried publish could be stored twice");
            }
            return new JetStreamEventStore(this);
        }
    }
}
