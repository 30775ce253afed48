package dev.aether;

import java.util.Optional;

/**
 * An {@link EventStore} that also keeps one snapshot of each actor's state, so that an actor can be
 * rebuilt from its latest snapshot plus the events after it.
 *
 * <p>The snapshot with the highest version wins: saving a snapshot whose version is below the
 * stored one leaves the stored one in place; saving one with the same version replaces it.
 */
public interface SnapshotStore extends EventStore {

    /**
     * Stores a snapshot unless one with a higher version is already stored.
     *
     * @param snapshot the snapshot
     * @throws StoreUnavailableException if the store could not be reached
     * @throws NullPointerException       if {@code snapshot} is null
     */
    void saveSnapshot(ActorSnapshot snapshot);

    /**
     * Reads the actor's snapshot with the highest version.
     *
     * @param actorId the actor
     * @return the snapshot, or empty when none was saved
     * @throws IllegalArgumentException  if {@code actorId} is blank or too long
     * @throws StoreUnavailableException if the store could not be reached
     */
    Optional<ActorSnapshot> getLatestSnapshot(String actorId);
}
