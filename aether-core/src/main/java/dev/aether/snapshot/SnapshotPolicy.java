package dev.aether.snapshot;

import java.time.Duration;
import java.util.Objects;

/**
 * Decides whether an {@link ActorLoader} saves a snapshot of the state it just loaded or updated.
 * It is asked only when the state is ahead of the last usable snapshot.
 *
 * <pre>{@code
 * SnapshotPolicy policy = SnapshotPolicy.everyEvents(100).or(SnapshotPolicy.whenReplayTookLongerThan(Duration.ofMillis(50)));
 * }</pre>
 */
@FunctionalInterface
public interface SnapshotPolicy {

    /**
     * @param progress where the actor stands
     * @return whether to save a snapshot at {@code progress.version()}
     */
    boolean shouldSave(SnapshotProgress progress);

    /**
     * @param other another policy
     * @return a policy that saves when this one or the other says so
     */
    default SnapshotPolicy or(SnapshotPolicy other) {
        Objects.requireNonNull(other, "other must not be null");
        return progress -> shouldSave(progress) || other.shouldSave(progress);
    }

    /**
     * @param events how many versions past the last snapshot trigger the next, at least 1
     * @return a policy that saves once the state is that many versions past the last usable snapshot:
     *         at versions 100, 200, 300 for 100 when events are saved one at a time
     */
    static SnapshotPolicy everyEvents(long events) {
        if (events < 1) {
            throw new IllegalArgumentException("events must be at least 1, was " + events);
        }
        return progress -> progress.versionsSinceSnapshot() >= events;
    }

    /**
     * @param limit the longest acceptable load, positive
     * @return a policy that saves after a load that took longer than {@code limit}
     */
    static SnapshotPolicy whenReplayTookLongerThan(Duration limit) {
        Objects.requireNonNull(limit, "limit must not be null");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return progress -> progress.replayTime().compareTo(limit) > 0;
    }

    /** @return a policy that never saves, for actors whose snapshots the caller saves itself */
    static SnapshotPolicy never() {
        return progress -> false;
    }
}
