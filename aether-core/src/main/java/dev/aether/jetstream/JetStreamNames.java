package dev.aether.jetstream;

/**
 * The names of the NATS resources Aether keeps for a namespace, for operators, monitoring and
 * permission files ({@code docs/security.md}). {@code docs/wire-format.md} describes how each is
 * formed; every method checks its arguments and names the one it refuses.
 */
public final class JetStreamNames {

    /** The stream prefix used when none is configured. */
    public static final String DEFAULT_PREFIX = SubjectCodec.DEFAULT_PREFIX;

    private JetStreamNames() {
    }

    /**
     * Checks a stream prefix: 1 to 32 characters of {@code [A-Za-z0-9-]}.
     *
     * @param prefix the prefix
     * @return the same prefix
     * @throws IllegalArgumentException naming {@code streamPrefix} and the rule when it is malformed
     */
    public static String requireValidPrefix(String prefix) {
        return SubjectCodec.requireValidPrefix(prefix);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @return the name of the namespace's event stream
     */
    public static String streamName(String prefix, String namespace) {
        return SubjectCodec.streamName(prefix, namespace);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @return the subjects of the namespace's event stream in the {@link SubjectLayout#FLAT flat} layout,
     *         {@code <prefix>.<namespace>.*}
     */
    public static String streamSubjects(String prefix, String namespace) {
        return SubjectCodec.streamSubjects(prefix, namespace, SubjectLayout.FLAT);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @param layout    the stream's subject layout
     * @return the subjects of the namespace's event stream: {@code <prefix>.<namespace>.*} (flat), or the
     *         namespace followed by eleven {@code *} tokens (partitioned)
     */
    public static String streamSubjects(String prefix, String namespace, SubjectLayout layout) {
        return SubjectCodec.streamSubjects(prefix, namespace, layout);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @param layout    the layout of the namespace's stream
     * @param actorId   the actor
     * @return the subject the actor's events are stored on
     */
    public static String actorSubject(String prefix, String namespace, SubjectLayout layout, String actorId) {
        return SubjectCodec.subject(prefix, namespace, layout, actorId);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @return the name of the namespace's snapshot KV bucket
     */
    public static String snapshotBucket(String prefix, String namespace) {
        return SubjectCodec.snapshotBucket(prefix, namespace);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @return the subject of the namespace's live event bus
     */
    public static String busSubject(String prefix, String namespace) {
        return SubjectCodec.busSubject(prefix, namespace);
    }

    /**
     * @param prefix the stream prefix
     * @return the name of the stream that holds parked events of every subscription
     */
    public static String parkingStream(String prefix) {
        return SubjectCodec.parkingStream(prefix);
    }
}
