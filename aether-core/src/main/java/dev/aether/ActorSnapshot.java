package dev.aether;

import java.time.Instant;
import java.util.Map;

/**
 * An actor's state as of one version, so that rebuilding it can start here instead of at version 1.
 *
 * @param actorId   the actor; see {@link ActorId}
 * @param version   the version of the last event folded into {@code state}, at least 1
 * @param state     JSON-compatible state with the same rules as {@link Event#data()}, deep-copied and unmodifiable
 * @param timestamp when the snapshot was taken
 */
public record ActorSnapshot(String actorId, long version, Map<String, Object> state, Instant timestamp) {

    /** Validates every component and copies the state. */
    public ActorSnapshot {
        ActorId.requireValid(actorId);
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        state = JsonData.copyOf(state, "state");
        if (timestamp == null) {
            throw new NullPointerException("timestamp must not be null");
        }
    }

    /**
     * A snapshot taken now.
     *
     * @param actorId the actor
     * @param version the version of the last event folded into the state
     * @param state   the state
     */
    public ActorSnapshot(String actorId, long version, Map<String, ?> state) {
        this(actorId, version, JsonData.copyOf(state, "state"), Instant.now());
    }
}
