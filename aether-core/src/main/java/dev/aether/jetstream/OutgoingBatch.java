package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.spi.EventBatch;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.List;

/**
 * A checked batch encoded once for publishing: the actor's subject, the body (one event's JSON object,
 * or a JSON array for several) and the headers every attempt shares, {@code Nats-Msg-Id} = token(actor)
 * {@code :} first version included. Each attempt adds its own expected last subject sequence.
 *
 * @param batch       the events
 * @param subject     the actor's subject
 * @param body        the message body
 * @param headers     the headers without the expected sequence; never changed after construction
 */
record OutgoingBatch(EventBatch batch, String subject, byte[] body, Headers headers) {

    /** The header that makes the server check the actor's last stream sequence. */
    static final String EXPECTED_LAST_SUBJECT_SEQUENCE = "Nats-Expected-Last-Subject-Sequence";
    /** The header by which the server drops a repeated publish within its duplicate window. */
    static final String MESSAGE_ID = "Nats-Msg-Id";

    /**
     * @param codec     encodes bodies and headers
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @param batch     a checked batch
     * @return the batch ready to publish
     */
    static OutgoingBatch of(EventCodec codec, String prefix, String namespace, EventBatch batch) {
        List<Event> events = batch.events();
        String actorId = batch.actorId();
        String subject = SubjectCodec.subject(prefix, namespace, actorId);
        String messageId = SubjectCodec.messageId(actorId, batch.firstVersion());
        if (events.size() == 1) {
            Event event = events.get(0);
            return new OutgoingBatch(batch, subject, codec.encode(event), codec.headers(event).put(MESSAGE_ID, messageId));
        }
        return new OutgoingBatch(batch, subject, codec.encode(events), codec.headers(events).put(MESSAGE_ID, messageId));
    }

    /** @return the save as error messages name it: the event, or the batch's versions, and the actor */
    String description() {
        List<Event> events = batch.events();
        if (events.size() == 1) {
            return "event " + events.get(0).id() + " of actor '" + batch.actorId() + "'";
        }
        return "batch of " + events.size() + " events (versions " + batch.firstVersion() + " to " + batch.lastVersion()
                + ") of actor '" + batch.actorId() + "'";
    }

    /**
     * @param expectedLastSequence the stream sequence of the actor's last message, 0 for none
     * @return a message that the server stores only if the actor's last message is still that one
     */
    NatsMessage message(long expectedLastSequence) {
        Headers attempt = new Headers(headers).put(EXPECTED_LAST_SUBJECT_SEQUENCE, Long.toString(expectedLastSequence));
        return NatsMessage.builder().subject(subject).headers(attempt).data(body).build();
    }
}
