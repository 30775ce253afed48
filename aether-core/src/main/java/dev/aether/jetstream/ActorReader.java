package dev.aether.jetstream;

import dev.aether.AetherException;
import dev.aether.Event;
import dev.aether.StoreUnavailableException;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.StreamContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Reads the messages of one actor's subject for {@link JetStreamEventStore}: the latest message, every
 * message checked against the wire format, and the events of an actor from a version on, through the
 * {@link ReadCache}.
 *
 * <p><b>Tail walk.</b> Every message the store writes carries {@code Nats-Expected-Last-Subject-Sequence},
 * which the server checked when it stored the message: it is the sequence of the actor's previous
 * message. A read of the newest messages (those after the cache, or after a version near the end)
 * starts from the latest message and follows that header back with one get by sequence per message,
 * so it never asks the server to filter the stream by subject, which nats-server 2.9 does by walking
 * the stream. When more versions may remain than a consumer would cost ({@link #WALK_MIN}), or at a
 * message whose header is missing or does not lead to an earlier message of the same actor, the rest
 * is read forwards by subject as before: one filtered get per message when at most {@value #LONG_READ}
 * events remain, else an ordered consumer.
 * Thread-safe.
 */
final class ActorReader {

    /**
     * Forward reads that may return more events than this use an ordered consumer instead of one request
     * per event. Measured on one server (docs/benchmarks.md): a request costs about a tenth of a
     * consumer's creation and deletion, and a consumer streams each further event for about a
     * thirtieth of a request; on a replicated stream the creation is also a cluster proposal, hence a
     * margin above ten.
     */
    static final int LONG_READ = 32;
    /**
     * A tail walk goes on while the versions it may still have to read are at most this many plus
     * {@code 1 /} {@value #SCAN_PER_REQUEST} of the stream messages an ordered consumer would scan
     * instead. Measured on nats-server 2.9.10 (docs/design.md): creating, reading one message of and
     * deleting an ordered consumer costs about as much as 14 gets by sequence, and the consumer of a
     * sparse subject scans about {@value #SCAN_PER_REQUEST} stream messages in the time of one get.
     */
    static final int WALK_MIN = 16;
    /** Stream messages a filtered consumer scans in the time of one request; see {@link #WALK_MIN}. */
    static final int SCAN_PER_REQUEST = 1000;
    private static final String PREVIOUS_SEQUENCE = NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR;
    private static final String PREVIOUS_SEQUENCE_SUBJECT = NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_SUB_HDR;
    private static final System.Logger LOG = System.getLogger(ActorReader.class.getName());

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final JetStreamOptions jetStreamOptions;
    private final String streamName;
    private final Duration requestTimeout;
    private final EventCodec codec;
    private final ReadCache cache;
    /** False where the server may store two messages expecting the same predecessor (nats-server#4320). */
    private final boolean chainTrusted;
    /** Kept once made: each lookup costs a STREAM.INFO round trip. */
    private volatile StreamContext streamContext;

    ActorReader(Connection connection, JetStreamManagement jsm, JetStreamOptions jetStreamOptions, String streamName,
                Duration requestTimeout, EventCodec codec, ReadCache cache, boolean chainTrusted) {
        this.connection = connection;
        this.jsm = jsm;
        this.jetStreamOptions = jetStreamOptions;
        this.streamName = streamName;
        this.requestTimeout = requestTimeout;
        this.codec = codec;
        this.cache = cache;
        this.chainTrusted = chainTrusted;
    }

    /** @return the cache this reader fills and serves from */
    ReadCache cache() {
        return cache;
    }

    /**
     * The actor's events at or above {@code fromVersion}: one request for the latest message, then only
     * the messages the cache does not hold (see the class description).
     *
     * @return an unmodifiable list that never changes
     */
    List<Event> events(String subject, String actorId, long fromVersion) {
        Optional<MessageInfo> found = lastMessage(subject);
        ReadCache.Entry cached = cache.enabled() ? cache.get(subject) : null;
        if (found.isEmpty()) {
            if (cached != null) {
                cache.remove(subject, cached);
            }
            return List.of();
        }
        MessageInfo last = found.get();
        long fingerprint = fingerprint(last);
        if (cached != null) {
            if (last.getSeq() == cached.lastSequence() && fingerprint == cached.fingerprint()) {
                return cached.from(fromVersion);
            }
            if (last.getSeq() <= cached.lastSequence()) {
                cache.remove(subject, cached);
                cached = null;
            }
        }
        List<Event> lastEvents = checkedEvents(last, actorId);
        if (cached != null) {
            List<Event> newer = readAfter(subject, actorId, last, lastEvents, cached);
            if (newer != null) {
                ReadCache.Entry extended = cached.append(newer, last.getSeq(), fingerprint);
                cache.put(subject, extended);
                return extended.from(fromVersion);
            }
            cache.remove(subject, cached);
        }
        long lastVersion = lastEvents.get(lastEvents.size() - 1).version();
        if (lastVersion < fromVersion) {
            return List.of();
        }
        long from = Math.max(fromVersion, 1);
        Walk walk = walkBack(subject, actorId, last, lastEvents, 0, from, from);
        List<Event> events = new ArrayList<>();
        if (!walk.complete()) {
            long start = from == 1 ? 1 : firstSequenceAtOrAbove(subject, from, walk.end());
            events.addAll(readForward(subject, actorId, start, walk.end(), walk.oldestFirstVersion() - from));
        }
        walk.appendEventsTo(events, this);
        List<Event> all = Collections.unmodifiableList(events);
        if (from == 1) {
            cache.put(subject, new ReadCache.Entry(all, last.getSeq(), fingerprint));
        }
        return new ReadCache.Entry(all, last.getSeq(), fingerprint).from(from);
    }

    /**
     * The events of the messages after the cached ones, up to {@code last}; null when the cached last
     * message is no longer the one at its sequence, or is not the predecessor of the newer ones.
     */
    private List<Event> readAfter(String subject, String actorId, MessageInfo last, List<Event> lastEvents,
                                  ReadCache.Entry cached) {
        long cachedVersion = cached.events().get(cached.events().size() - 1).version();
        Walk walk = walkBack(subject, actorId, last, lastEvents, cached.lastSequence(), Long.MIN_VALUE,
                cachedVersion + 1);
        if (walk.broken()) {
            return null;
        }
        List<Event> newer = new ArrayList<>();
        if (!walk.complete()) {
            newer.addAll(readForward(subject, actorId, cached.lastSequence() + 1, walk.end(),
                    walk.oldestFirstVersion() - cachedVersion));
        }
        walk.appendEventsTo(newer, this);
        if (newer.get(0).version() <= cachedVersion) {
            return null;
        }
        Optional<MessageInfo> cachedMessage = messageAt(cached.lastSequence());
        if (cachedMessage.isEmpty() || !subject.equals(cachedMessage.get().getSubject())
                || fingerprint(cachedMessage.get()) != cached.fingerprint()) {
            return null;
        }
        return newer;
    }

    /**
     * Follows the previous-sequence header back from {@code last} until a message whose first version is
     * at most {@code fromVersion}, or whose predecessor is {@code stopSequence}, for as long as that is
     * cheaper than reading the rest forwards ({@link #WALK_MIN}); {@code neededVersion} is the lowest
     * version the read needs. Every message read is checked as {@link #checkedEvents(MessageInfo, String)} does.
     */
    private Walk walkBack(String subject, String actorId, MessageInfo last, List<Event> lastEvents, long stopSequence,
                         long fromVersion, long neededVersion) {
        List<List<Event>> newestFirst = new ArrayList<>();
        MessageInfo current = last;
        List<Event> currentEvents = lastEvents;
        while (true) {
            newestFirst.add(currentEvents);
            long firstVersion = currentEvents.get(0).version();
            if (firstVersion <= fromVersion) {
                return new Walk(newestFirst, current.getSeq(), true, false, current.getSeq() - 1);
            }
            long previous = chainTrusted ? previousSequence(current) : -1;
            if (previous == stopSequence) {
                return new Walk(newestFirst, current.getSeq(), true, false, previous);
            }
            if (previous >= 0 && previous < stopSequence) {
                return new Walk(newestFirst, current.getSeq(), false, true, previous);
            }
            if (previous < 0 || previous >= current.getSeq()) {
                return new Walk(newestFirst, current.getSeq(), false, false, current.getSeq() - 1);
            }
            long versionsLeft = firstVersion - neededVersion;
            if (versionsLeft > WALK_MIN + (current.getSeq() - stopSequence) / SCAN_PER_REQUEST) {
                return new Walk(newestFirst, current.getSeq(), false, false, previous);
            }
            Optional<MessageInfo> before = messageAt(previous);
            if (before.isEmpty() || !subject.equals(before.get().getSubject())) {
                return new Walk(newestFirst, current.getSeq(), false, false, current.getSeq() - 1);
            }
            List<Event> beforeEvents = checkedEvents(before.get(), actorId);
            if (beforeEvents.get(beforeEvents.size() - 1).version() >= firstVersion) {
                // Versions must grow with sequences; leave it to the forward read, which reads what is there.
                return new Walk(newestFirst, current.getSeq(), false, false, current.getSeq() - 1);
            }
            current = before.get();
            currentEvents = beforeEvents;
        }
    }

    /**
     * The end of a tail walk.
     *
     * @param newestFirst the events of each message walked, newest message first
     * @param oldestSequence the stream sequence of the oldest message walked
     * @param complete    whether nothing before them is needed
     * @param broken      whether the walk passed below the stop sequence: that message is not on the chain
     * @param end         when not complete, the last sequence the forward read must reach (the exact
     *                    predecessor when known, else just below the oldest message walked)
     */
    private record Walk(List<List<Event>> newestFirst, long oldestSequence, boolean complete, boolean broken, long end) {

        long oldestFirstVersion() {
            return newestFirst.get(newestFirst.size() - 1).get(0).version();
        }

        /** Appends the walked events after those read forwards, which must end below them. */
        void appendEventsTo(List<Event> events, ActorReader reader) {
            reader.appendInOrder(events, newestFirst.get(newestFirst.size() - 1), oldestSequence);
            for (int i = newestFirst.size() - 2; i >= 0; i--) {
                events.addAll(newestFirst.get(i));
            }
        }
    }

    /** @return the predecessor the server checked when it stored the message, or -1 if it cannot be told */
    private static long previousSequence(MessageInfo info) {
        Headers headers = info.getHeaders();
        if (headers == null || headers.getFirst(PREVIOUS_SEQUENCE_SUBJECT) != null) {
            return -1;
        }
        String value = headers.getFirst(PREVIOUS_SEQUENCE);
        if (value == null) {
            return -1;
        }
        try {
            return Math.max(-1, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long fingerprint(MessageInfo info) {
        Headers headers = info.getHeaders();
        return ReadCache.fingerprint(info.getData(), headers == null ? null : headers.getFirst(PREVIOUS_SEQUENCE));
    }

    /**
     * Reads the actor's messages from {@code sequence} to {@code end} forwards by subject: one request per
     * message when at most {@link #LONG_READ} events can remain, else an ordered consumer.
     */
    private List<Event> readForward(String subject, String actorId, long sequence, long end, long mostEvents) {
        if (sequence > end) {
            return List.of();
        }
        return mostEvents > LONG_READ
                ? readWithOrderedConsumer(subject, actorId, sequence, end)
                : readMessageByMessage(subject, actorId, sequence, end);
    }

    /**
     * Appends one message's events after the actor's events before it, refusing a message whose first
     * version is not above the last of them: versions strictly increase along an actor's subject, and a
     * message that breaks this (placed there by another client) must not be read as a history.
     */
    void appendInOrder(List<Event> events, List<Event> message, long sequence) {
        if (!events.isEmpty()) {
            long before = events.get(events.size() - 1).version();
            long first = message.get(0).version();
            if (first <= before) {
                throw new AetherException("Message " + sequence + " of stream " + streamName
                        + " breaks its actor's order: its version " + first + " is not above version " + before
                        + " of the actor's message before it; versions must strictly increase along an actor's subject");
            }
        }
        events.addAll(message);
    }

    /** Reads the actor's messages from {@code sequence} to {@code end} with one request per message. */
    private List<Event> readMessageByMessage(String subject, String actorId, long sequence, long end) {
        List<Event> events = new ArrayList<>();
        while (sequence <= end) {
            MessageInfo info = nextMessage(sequence, subject);
            if (info.getSeq() > end) {
                break;
            }
            appendInOrder(events, checkedEvents(info, actorId), info.getSeq());
            sequence = info.getSeq() + 1;
        }
        return events;
    }

    /**
     * Reads from {@code sequence} to {@code end} through an ordered consumer filtered on the actor's
     * subject: one consumer creation, then the events stream in batches. Closed before returning.
     */
    private List<Event> readWithOrderedConsumer(String subject, String actorId, long sequence, long end) {
        List<Event> events = new ArrayList<>();
        try {
            OrderedConsumerContext context = streamContext()
                    .createOrderedConsumer(new OrderedConsumerConfiguration().filterSubject(subject)
                            .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(sequence));
            IterableConsumer consumer = context.iterate();
            try {
                long seen = 0;
                while (seen < end) {
                    Message message = consumer.nextMessage(requestTimeout);
                    if (message == null) {
                        throw new StoreUnavailableException("Reading actor '" + actorId + "' from stream " + streamName
                                + " stalled: no message within " + requestTimeout,
                                new TimeoutException("ordered consumer on " + subject));
                    }
                    seen = message.metaData().streamSequence();
                    if (seen <= end) {
                        appendInOrder(events, checked(decode(message.getData(), seen, actorId), message.getHeaders(), seen),
                                seen);
                    }
                }
            } finally {
                closeAndDelete(consumer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("read subject " + subject, e);
        } catch (AetherException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable("read subject " + subject, e);
        }
        return events;
    }

    private StreamContext streamContext() throws IOException, JetStreamApiException {
        StreamContext context = streamContext;
        if (context == null) {
            context = connection.getStreamContext(streamName, jetStreamOptions);
            streamContext = context;
        }
        return context;
    }

    /** @return the subject's last message, empty if it has none; one request */
    Optional<MessageInfo> lastMessage(String subject) {
        try {
            return Optional.of(jsm.getLastMessage(streamName, subject));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsJetStreamConstants.JS_NO_MESSAGE_FOUND_ERR) {
                return Optional.empty();
            }
            throw unavailable("read subject " + subject, e);
        } catch (IOException | IllegalStateException e) {
            throw unavailable("read subject " + subject, e);
        }
    }

    /** @return the stream's message at {@code sequence}, of any subject, empty if there is none; one request */
    private Optional<MessageInfo> messageAt(long sequence) {
        try {
            return Optional.of(jsm.getMessage(streamName, sequence));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsJetStreamConstants.JS_NO_MESSAGE_FOUND_ERR) {
                return Optional.empty();
            }
            throw unavailable("read sequence " + sequence, e);
        } catch (IOException | IllegalStateException e) {
            throw unavailable("read sequence " + sequence, e);
        }
    }

    /** @return the subject's first message at or after {@code sequence}; one request */
    MessageInfo nextMessage(long sequence, String subject) {
        try {
            return jsm.getNextMessage(streamName, sequence, subject);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw unavailable("read subject " + subject + " from sequence " + sequence, e);
        }
    }

    /**
     * Finds the stream sequence of the actor's first event with a version at or above {@code version}.
     * Versions grow with sequences within a subject, so a binary search over sequences needs
     * O(log lastSequence) requests.
     */
    long firstSequenceAtOrAbove(String subject, long version, long lastSequence) {
        long low = 1;
        long high = lastSequence;
        while (low < high) {
            long middle = low + (high - low) / 2;
            MessageInfo probe = nextMessage(middle, subject);
            if (probe.getSeq() > high || versionOf(probe) >= version) {
                high = middle;
            } else {
                low = probe.getSeq() + 1;
            }
        }
        return low;
    }

    /**
     * The events of a message on the actor's subject, checked against the wire format: its body is one
     * event or a batch of this actor and its version header, if any, agrees with the body's last
     * version. A message another client placed on the subject that breaks these rules fails the read
     * or save here, naming the message, before anything is written.
     */
    List<Event> checkedEvents(MessageInfo info, String actorId) {
        return checked(decode(info.getData(), info.getSeq(), actorId), info.getHeaders(), info.getSeq());
    }

    private List<Event> checked(List<Event> events, Headers headers, long sequence) {
        long version = events.get(events.size() - 1).version();
        String header = headers == null ? null : headers.getFirst(EventCodec.VERSION_HEADER);
        if (header != null && !header.equals(Long.toString(version))) {
            throw new AetherException("Message " + sequence + " of stream " + streamName
                    + " breaks the wire format: its " + EventCodec.VERSION_HEADER + " header is '" + header
                    + "' but its body has version " + version);
        }
        return events;
    }

    /** Decodes a stored message of the actor: one event, or every event of a batch. */
    List<Event> decode(byte[] body, long sequence, String actorId) {
        List<Event> events = decode(body, sequence);
        String owner = events.get(0).actorId();
        if (!owner.equals(actorId)) {
            throw new AetherException("Message " + sequence + " of stream " + streamName + " belongs to actor '"
                    + owner + "', not '" + actorId + "' whose subject it is on: another client broke the "
                    + "wire format, or hashed actor tokens collide");
        }
        return events;
    }

    /**
     * Decodes a stored message, one event or a batch; a body that is neither is an {@link AetherException}
     * naming the message.
     */
    private List<Event> decode(byte[] body, long sequence) {
        try {
            return codec.decodeMessage(body);
        } catch (IllegalArgumentException e) {
            throw new AetherException("Message " + sequence + " of stream " + streamName
                    + " is not an Aether event", e);
        }
    }

    private long versionOf(MessageInfo info) {
        String header = info.getHeaders() == null ? null : info.getHeaders().getFirst(EventCodec.VERSION_HEADER);
        if (header != null) {
            try {
                return Long.parseLong(header);
            } catch (NumberFormatException e) {
                // Fall back to the body, which is authoritative.
            }
        }
        List<Event> events = decode(info.getData(), info.getSeq());
        return events.get(events.size() - 1).version();
    }

    /**
     * Stops the consumer here and removes it on the server, so that it does not outlive the read. A
     * failure is only logged: it must neither fail a read that succeeded nor hide why a read failed,
     * and the server removes an ephemeral consumer by itself after its inactivity threshold.
     */
    private void closeAndDelete(IterableConsumer consumer) {
        String name = consumer.getConsumerName();
        try {
            consumer.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(System.Logger.Level.DEBUG, "Could not stop the ordered consumer " + name + " of " + streamName, e);
        }
        try {
            jsm.deleteConsumer(streamName, name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != NatsJetStreamConstants.JS_CONSUMER_NOT_FOUND_ERR) {
                LOG.log(System.Logger.Level.WARNING, "Could not delete the ordered consumer " + name + " of "
                        + streamName + "; the server removes it when it has been inactive long enough", e);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not delete the ordered consumer " + name + " of "
                    + streamName + "; the server removes it when it has been inactive long enough", e);
        }
    }

    /** @return a {@link StoreUnavailableException} about the stream, or the permission failure behind it */
    RuntimeException unavailable(String what, Exception cause) {
        return PermissionViolations.explain(connection,
                new StoreUnavailableException("Could not " + what + " in JetStream stream " + streamName, cause), streamName);
    }
}
