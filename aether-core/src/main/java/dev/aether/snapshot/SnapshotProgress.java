package dev.aether.snapshot;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link SnapshotPolicy} decides on: where an actor stands after a load or a save, and how far
 * that is from its last usable snapshot.
 *
 * @param actorId         the actor
 * @param version         the version of the last event folded into the state
 * @param snapshotVersion the version of the last usable snapshot, 0 when there is none (or only stale ones)
 * @param eventsReplayed  how many events the load folded in after the snapshot; 0 after a save
 * @param replayTime      how long the load took, snapshot and events read and folded; zero after a save
 */
public record SnapshotProgress(String actorId, long version, long snapshotVersion, int eventsReplayed,
                               Duration replayTime) {

    /** Checks that the versions and counts are in range. */
    public SnapshotProgress {
        Objects.requireNonNull(actorId, "actorId must not be null");
        Objects.requireNonNull(replayTime, "replayTime must not be null");
        requireSnapshotVersion(version, snapshotVersion);
        if (eventsReplayed < 0) {
            throw new IllegalArgumentException("eventsReplayed must not be negative, was " + eventsReplayed);
        }
    }

    static void requireSnapshotVersion(long version, long snapshotVersion) {
        if (snapshotVersion < 0 || version < snapshotVersion) {
            throw new IllegalArgumentException("snapshotVersion must be between 0 and version " + version + ", was "
                    + snapshotVersion);
        }
    }

    /** @return how many versions the state is ahead of the last usable snapshot */
    public long versionsSinceSnapshot() {
        return version - snapshotVersion;
    }
}
