package dev.aether.snapshot;

import java.util.Objects;

/**
 * An actor's state as an {@link ActorLoader} rebuilt it.
 *
 * @param actorId         the actor
 * @param state           the state after every event up to {@code version}
 * @param version         the version of the last event folded in; 0 when the actor has no events
 * @param snapshotVersion the version of the last usable snapshot (the one it started from, or one
 *                        saved since), 0 when there is none
 * @param eventsReplayed  how many events the load folded in after the snapshot
 * @param <S>             the state's class
 */
public record LoadedActor<S>(String actorId, S state, long version, long snapshotVersion, int eventsReplayed) {

    /** Checks that every part is present and the versions are in range. */
    public LoadedActor {
        Objects.requireNonNull(actorId, "actorId must not be null");
        Objects.requireNonNull(state, "state must not be null");
        SnapshotProgress.requireSnapshotVersion(version, snapshotVersion);
    }

    /** @return whether the actor has at least one event */
    public boolean exists() {
        return version > 0;
    }
}
