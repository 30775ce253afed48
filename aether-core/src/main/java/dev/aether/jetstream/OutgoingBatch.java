package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.spi.EventBatch;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;
import java.util.List;

/**
 * A checked batch encoded once for publishing: the actor's subject, the message id (token(actor)
 * {@code :} first version) and the body (one event's JSON object, or a JSON array for several). Each
 * attempt makes its message with its own expected last subject sequence.
 *
 * @param batch     the events
 * @param subject   the actor's subject
 * @param messageId the {@code Nats-Msg-Id}
 * @param body      the message body
 */
record OutgoingBatch(EventBatch batch, String subject, String messageId, byte[] body) {

    /**
     * @param codec   encodes bodies
     * @param subject the actor's subject, in the layout of the namespace's stream
     * @param batch   a checked batch
     * @return the batch ready to publish
     */
    static OutgoingBatch of(EventCodec codec, String subject, EventBatch batch) {
        List<Event> events = batch.events();
        String actorId = batch.actorId();
        byte[] body = events.size() == 1 ? codec.encode(events.get(0)) : codec.encode(events);
        return new OutgoingBatch(batch, subject,
                SubjectCodec.messageId(actorId, batch.firstVersion()), body);
    }

    /**
     * @param codec                writes the event headers
     * @param expectedLastSequence the stream sequence of the actor's last message, 0 for none
     * @return a message that the server stores only if the actor's last message is still that one
     */
    NatsMessage message(EventCodec codec, long expectedLastSequence) {
        List<Event> events = batch.events();
        Headers headers = events.size() == 1 ? codec.headers(events.get(0)) : codec.headers(events);
        headers.put(NatsJetStreamConstants.MSG_ID_HDR, messageId)
                .put(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR, Long.toString(expectedLastSequence));
        return NatsMessage.builder().subject(subject).headers(headers).data(body).build();
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
}
