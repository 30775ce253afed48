package dev.aether.jetstream;

import dev.aether.Event;
import io.nats.client.impl.Headers;
import java.util.List;

/**
 * The bytes and headers the JetStream store writes, for the benchmarks' raw jnats operations, so
 * that the raw side moves exactly what the store moves. The encoding is package-private in
 * {@code aether-core} (other clients follow {@code docs/wire-format.md}); this class sits in the
 * store's package to reach it and is not part of any published API.
 */
public final class BenchmarkWire {

    /** The header that carries an event's version. */
    public static final String VERSION_HEADER = EventCodec.VERSION_HEADER;

    private static final EventCodec CODEC = new EventCodec();

    private BenchmarkWire() {
    }

    /** @param event an event @return its message body as the store writes it */
    public static byte[] encode(Event event) {
        return CODEC.encode(event);
    }

    /** @param events a batch of one actor's events @return the batch's message body */
    public static byte[] encode(List<Event> events) {
        return CODEC.encode(events);
    }

    /** @param body a stored message's body @return its events, decoded and checked as the store does */
    public static List<Event> decodeMessage(byte[] body) {
        return CODEC.decodeMessage(body);
    }

    /** @param event an event @return the Aether headers of its message (no JetStream headers) */
    public static Headers headers(Event event) {
        return CODEC.headers(event);
    }

    /** @param events a batch of one actor's events @return the Aether headers of the batch's message */
    public static Headers headers(List<Event> events) {
        return CODEC.headers(events);
    }

    /**
     * @param namespace the namespace, whose stream has the flat layout
     * @param actorId   the actor
     * @return the actor's subject under the default prefix
     */
    public static String subject(String namespace, String actorId) {
        return subject(namespace, SubjectLayout.FLAT, actorId);
    }

    /**
     * @param namespace the namespace
     * @param layout    the subject layout of the namespace's stream
     * @param actorId   the actor
     * @return the actor's subject under the default prefix
     */
    public static String subject(String namespace, SubjectLayout layout, String actorId) {
        return SubjectCodec.subject(SubjectCodec.DEFAULT_PREFIX, namespace, layout, actorId);
    }

    /** @param actorId the actor @param version a version @return the message id the store gives that event */
    public static String messageId(String actorId, long version) {
        return SubjectCodec.messageId(actorId, version);
    }
}
