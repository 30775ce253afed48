package dev.aether.jetstream;

/**
 * How the actor subjects of a namespace's stream are formed ({@code docs/wire-format.md}). The layout is a
 * property of the stream, fixed when the stream is created and read back from its configured subjects, so
 * every reader, subscriber and client in another language finds it without further metadata.
 */
public enum SubjectLayout {

    /**
     * {@code <prefix>.<namespace>.<actor token>}, stream subjects {@code <prefix>.<namespace>.*}: the layout
     * of every stream made before layouts existed, and the default. A partition consumer of a partitioned
     * subscription reads the whole stream and skips the other partitions' events.
     */
    FLAT,

    /**
     * {@code <prefix>.<namespace>.<b0>...<b9>.<actor token>}: ten tokens {@code 0} or {@code 1}, the low ten
     * bits of the actor id's FNV-1a-32 hash (the hash of {@link dev.aether.ActorPartitions}), least
     * significant first; stream subjects {@code <prefix>.<namespace>} followed by eleven {@code *} tokens. A
     * partitioned subscription with a power-of-two partition count (2 to 1024) gives each partition consumer
     * a filter on its bits, so the server delivers it only its partition's events.
     */
    PARTITIONED
}
