package dev.aether.memory;

import dev.aether.ActorId;
import dev.aether.ActorSnapshot;
import dev.aether.DuplicateEventIdException;
import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.VersionConflictException;
import dev.aether.spi.EventBatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * A thread-safe {@link SnapshotStore} in memory, for tests and the embedded default. Nothing
 * survives the JVM.
 *
 * <p>Each actor's stream has a lock of its own, so writers to different actors do not wait for each
 * other; the version check and the append for one actor happen atomically under that lock.
 * {@link #getLatestVersion(String)} is O(1) and takes no lock; {@link #getEvents(String, long)}
 * binary-searches the version and copies the k events returned, O(log n + k).
 *
 * <p>A re-save of events the actor already holds (same ids at the same versions) succeeds and stores
 * nothing; an event id the actor holds at another version is refused with
 * {@link DuplicateEventIdException}. Both are recognised for as long as the store lives.
 *
 * <p>Snapshots: the one with the highest version is kept; saving a snapshot below the stored
 * version does nothing, saving one at the same version replaces it.
 */
public final class InMemoryEventStore implements SnapshotStore {

    private final ConcurrentMap<String, ActorStream> streams = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ActorSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Consumer<Event> onSave;

    /** Creates an empty store. */
    public InMemoryEventStore() {
        this(event -> { });
    }

    /**
     * A store that tells {@code onSave} of every saved event, under the actor's lock, so the listener
     * sees each actor's events in version order. Used by {@link InMemoryEventSubscriptions#store(String)}.
     */
    InMemoryEventStore(Consumer<Event> onSave) {
        this.onSave = onSave;
    }

    @Override
    public void saveEvent(Event event) {
        Objects.requireNonNull(event, "event must not be null");
        streams.computeIfAbsent(event.actorId(), id -> new ActorStream()).append(List.of(event), onSave);
    }

    @Override
    public void saveEvents(List<Event> events) {
        EventBatch batch = EventBatch.of(events);
        streams.computeIfAbsent(batch.actorId(), id -> new ActorStream()).append(batch.events(), onSave);
    }

    @Override
    public List<Event> getEvents(String actorId, long fromVersion) {
        ActorId.requireValid(actorId);
        if (fromVersion < 0) {
            throw new IllegalArgumentException("fromVersion must not be negative, was " + fromVersion);
        }
        ActorStream stream = streams.get(actorId);
        return stream == null ? List.of() : stream.from(fromVersion);
    }

    @Override
    public long getLatestVersion(String actorId) {
        ActorId.requireValid(actorId);
        ActorStream stream = streams.get(actorId);
        return stream == null ? 0 : stream.latestVersion;
    }

    @Override
    public void saveSnapshot(ActorSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot must not be null");
        snapshots.merge(snapshot.actorId(), snapshot,
                (stored, offered) -> offered.version() >= stored.version() ? offered : stored);
    }

    @Override
    public Optional<ActorSnapshot> getLatestSnapshot(String actorId) {
        ActorId.requireValid(actorId);
        return Optional.ofNullable(snapshots.get(actorId));
    }

    /** One actor's events in version order; appends are serialised on the stream itself. */
    private static final class ActorStream {
        private final List<Event> events = new ArrayList<>();
        private final Map<String, Long> versionsById = new HashMap<>();
        private volatile long latestVersion;

        /**
         * Appends a checked batch (one event or more, versions increasing) whole, or nothing: every
         * check is made before the first append, and {@code latestVersion} moves once at the end.
         */
        synchronized void append(List<Event> batch, Consumer<Event> onSave) {
            Event first = batch.get(0);
            if (first.version() <= latestVersion) {
                if (allStored(batch)) {
                    return;
                }
                throw new VersionConflictException(first.actorId(), first.version(), latestVersion);
            }
            for (Event event : batch) {
                Long stored = versionsById.get(event.id());
                if (stored != null) {
                    throw new DuplicateEventIdException(event.actorId(), event.id(), stored, event.version());
                }
            }
            for (Event event : batch) {
                events.add(event);
                versionsById.put(event.id(), event.version());
            }
            latestVersion = batch.get(batch.size() - 1).version();
            batch.forEach(onSave);
        }

        /** Whether every event of the batch is stored with the same id at the same version. */
        private boolean allStored(List<Event> batch) {
            for (Event event : batch) {
                Long stored = versionsById.get(event.id());
                if (stored == null || stored != event.version()) {
                    return false;
                }
            }
            return true;
        }

        synchronized List<Event> from(long fromVersion) {
            int low = 0;
            int high = events.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (events.get(mid).version() < fromVersion) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return List.copyOf(events.subList(low, events.size()));
        }
    }
}
