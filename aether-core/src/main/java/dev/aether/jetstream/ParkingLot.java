package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.ParkedEvent;
import dev.aether.StoreUnavailableException;
import dev.aether.spi.ActorOrderedDelivery;
import dev.aether.spi.SubscribeArguments;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.PurgeOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.aether.jetstream.JetStreamEventSubscriptions.PARKED_AT_HEADER;
import static dev.aether.jetstream.JetStreamEventSubscriptions.PARKED_DELIVERIES_HEADER;
import static dev.aether.jetstream.JetStreamEventSubscriptions.PARKED_FAILURE_HEADER;
import static dev.aether.jetstream.JetStreamEventSubscriptions.PARKED_NAMESPACE_HEADER;
import static dev.aether.jetstream.JetStreamEventSubscriptions.PARKED_SEQUENCE_HEADER;
import static dev.aether.jetstream.JetStreamEventSubscriptions.PARKED_STREAM_HEADER;
import static dev.aether.jetstream.JetStreamEventSubscriptions.PARKED_SUBSCRIPTION_HEADER;

/**
 * The parking stream {@code <prefix>__PARKED} of {@link JetStreamEventSubscriptions}: parks events
 * (publishes them with their failure in headers), lists, counts, replays and discards them. A parked
 * event's id is its sequence in the parking stream; discarding deletes that message, replaying hands
 * the event to a delivery loop and deletes the message once it is handled or parked again.
 */
final class ParkingLot {

    private static final Logger LOG = System.getLogger(ParkingLot.class.getName());
    private static final int NO_MESSAGE_FOUND = NatsJetStreamConstants.JS_NO_MESSAGE_FOUND_ERR;
    private static final int MAX_FAILURE_HEADER_LENGTH = 1_000;

    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final String prefix;
    private final String stream;
    private final EventCodec codec = new EventCodec();
    private final Set<Long> replaying = ConcurrentHashMap.newKeySet();

    /**
     * Creates the parking stream if it is missing, or checks the existing one (see {@link StreamProvisioner}).
     *
     * @throws StoreUnavailableException    if it could not be created or read
     * @throws IncompatibleStreamException if it exists with settings that do not fit
     */
    ParkingLot(JetStream jetStream, JetStreamManagement management, String prefix, int replicas) {
        this.jetStream = jetStream;
        this.management = management;
        this.prefix = prefix;
        this.stream = SubjectCodec.parkingStream(prefix);
        StreamProvisioner.ensureStream(management, StreamProvisioner.desiredParkingStream(prefix, replicas));
    }

    /** @return the parking stream's name */
    String stream() {
        return stream;
    }

    /** Where a parked event came from and why it was parked. */
    record Origin(String subscription, String namespace, String stream, long sequence) {
    }

    /**
     * Publishes an event, or the raw data of a message that is not one, to the parking stream.
     *
     * @param origin     where it came from
     * @param event      the event, or null for undecodable data
     * @param data       the body to park
     * @param messageId  a message id, so that parking the same event twice within the duplicate window stores it once
     * @param deliveries how many times the handler was called with it
     * @param failure    the last failure, described
     * @return whether the parking stream acknowledged it
     */
    boolean park(Origin origin, Event event, byte[] data, String messageId, int deliveries, String failure) {
        Headers headers = event == null ? new Headers() : codec.headers(event);
        String description = failure.length() > MAX_FAILURE_HEADER_LENGTH
                ? failure.substring(0, MAX_FAILURE_HEADER_LENGTH) : failure;
        headers.put(PARKED_SUBSCRIPTION_HEADER, origin.subscription())
                .put(PARKED_NAMESPACE_HEADER, origin.namespace())
                .put(PARKED_STREAM_HEADER, origin.stream())
                .put(PARKED_SEQUENCE_HEADER, Long.toString(origin.sequence()))
                .put(PARKED_DELIVERIES_HEADER, Integer.toString(deliveries))
                .put(PARKED_FAILURE_HEADER, EventCodec.headerValue(description))
                .put(PARKED_AT_HEADER, Instant.now().toString());
        NatsMessage parked = NatsMessage.builder()
                .subject(SubjectCodec.parkedSubject(prefix, origin.subscription(), origin.namespace()))
                .headers(headers)
                .data(data)
                .build();
        try {
            jetStream.publish(parked, PublishOptions.builder().messageId(messageId).expectedStream(stream).build());
            return true;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.ERROR, "Subscription '" + origin.subscription() + "' could not park "
                    + (event == null ? "message " + origin.sequence() : "event " + event.id() + " of message "
                    + origin.sequence()) + " of " + origin.stream() + "; it will be delivered again", e);
            return false;
        }
    }

    /**
     * Reads the events a subscription parked, oldest first, one request per event. Messages parked
     * because they were not Aether events are skipped (and logged); NATS tools show them.
     */
    List<ParkedEvent> list(String subscription) {
        String filter = SubjectCodec.parkedSubjects(prefix, SubscribeArguments.checkSubscriptionName(subscription));
        List<ParkedEvent> parked = new ArrayList<>();
        long sequence = 1;
        try {
            while (true) {
                MessageInfo info;
                try {
                    info = management.getNextMessage(stream, sequence, filter);
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                        return parked;
                    }
                    throw e;
                }
                ParkedEvent event = decode(info);
                if (event != null) {
                    parked.add(event);
                }
                sequence = info.getSeq() + 1;
            }
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw unavailable("read", e);
        }
    }

    /** Counts a subscription's parked messages with one stream info request. */
    long count(String subscription) {
        String filter = SubjectCodec.parkedSubjects(prefix, SubscribeArguments.checkSubscriptionName(subscription));
        try {
            List<Subject> subjects = management.getStreamInfo(stream, StreamInfoOptions.filterSubjects(filter))
                    .getStreamState().getSubjects();
            return subjects == null ? 0 : subjects.stream().mapToLong(Subject::getCount).sum();
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw unavailable("read", e);
        }
    }

    /** Deletes every message a subscription parked. */
    long discardAll(String subscription) {
        String filter = SubjectCodec.parkedSubjects(prefix, SubscribeArguments.checkSubscriptionName(subscription));
        try {
            return management.purgeStream(stream, PurgeOptions.subject(filter)).getPurged();
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw unavailable("purge", e);
        }
    }

    /** Deletes one parked message, if it is one of that subscription's. */
    boolean discard(String subscription, long id) {
        MessageInfo info = read(subscription, id);
        return info != null && delete(id);
    }

    /**
     * Replays every parked event of a subscription through its delivery loop.
     *
     * @return how many were handed over
     */
    int replayAll(String subscription, ActorOrderedDelivery delivery) {
        int handedOver = 0;
        for (ParkedEvent event : list(subscription)) {
            if (replay(event, delivery)) {
                handedOver++;
            }
        }
        return handedOver;
    }

    /** Replays one parked event, if it is one of that subscription's and not being replayed already. */
    boolean replay(String subscription, long id, ActorOrderedDelivery delivery) {
        MessageInfo info = read(subscription, id);
        ParkedEvent event = info == null ? null : decode(info);
        return event != null && replay(event, delivery);
    }

    /**
     * Hands the event to the delivery loop. Handled: the parked message is deleted. Failed on every
     * delivery: parked again (a new message, with its new failure), then the old one deleted; if parking
     * again fails, the old one stays. Released by a closing subscription: it stays parked.
     */
    private boolean replay(ParkedEvent parked, ActorOrderedDelivery delivery) {
        if (!replaying.add(parked.id())) {
            return false;
        }
        delivery.submit(parked.namespace(), parked.event(), 1, new ActorOrderedDelivery.Acknowledger() {
            @Override
            public void handled() {
                try {
                    delete(parked.id());
                } finally {
                    replaying.remove(parked.id());
                }
            }

            @Override
            public void exhausted(int deliveries, Throwable failure) {
                try {
                    MessageInfo old = read(parked.subscription(), parked.id());
                    if (old == null) {
                        return; // discarded meanwhile
                    }
                    String originStream = old.getHeaders().getFirst(PARKED_STREAM_HEADER);
                    Origin origin = new Origin(parked.subscription(), parked.namespace(), originStream != null
                            ? originStream : SubjectCodec.streamName(prefix, parked.namespace()), parked.position());
                    if (park(origin, parked.event(), codec.encode(parked.event()),
                            stream + ":" + parked.id() + ":replayed", deliveries, ParkedEvent.describe(failure))) {
                        delete(parked.id());
                    }
                } finally {
                    replaying.remove(parked.id());
                }
            }

            @Override
            public void released() {
                replaying.remove(parked.id());
            }
        });
        return true;
    }

    /** @return the parked message, or null if there is none with that id for that subscription */
    private MessageInfo read(String subscription, long id) {
        SubscribeArguments.checkSubscriptionName(subscription);
        try {
            MessageInfo info = management.getMessage(stream, id);
            String subject = info.getSubject();
            return subject != null && subject.startsWith(SubjectCodec.parkedSubject(prefix, subscription, ""))
                    ? info : null;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return null;
            }
            throw unavailable("read", e);
        } catch (IOException | IllegalStateException e) {
            throw unavailable("read", e);
        }
    }

    private boolean delete(long id) {
        try {
            return management.deleteMessage(stream, id, false);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return false;
            }
            throw unavailable("delete from", e);
        } catch (IOException | IllegalStateException e) {
            throw unavailable("delete from", e);
        }
    }

    private ParkedEvent decode(MessageInfo info) {
        Headers headers = info.getHeaders();
        try {
            return new ParkedEvent(info.getSeq(), headers.getFirst(PARKED_SUBSCRIPTION_HEADER),
                    headers.getFirst(PARKED_NAMESPACE_HEADER), codec.decode(info.getData()),
                    Long.parseLong(headers.getFirst(PARKED_SEQUENCE_HEADER)),
                    Integer.parseInt(headers.getFirst(PARKED_DELIVERIES_HEADER)),
                    EventCodec.fromHeaderValue(headers.getFirst(PARKED_FAILURE_HEADER)),
                    Instant.parse(headers.getFirst(PARKED_AT_HEADER)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Parked message " + info.getSeq() + " of " + stream
                    + " is not an Aether event (a message that could not be decoded); read it with a NATS tool", e);
            return null;
        }
    }

    private StoreUnavailableException unavailable(String what, Exception cause) {
        return new StoreUnavailableException("Could not " + what + " the parking stream '" + stream + "'", cause);
    }
}
