package dev.aether.spring;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.StoreUnavailableException;

/**
 * A {@link SnapshotStore} built on first use, for applications that start while their store cannot be
 * reached ({@code aether.nats.startup-mode=connect-later}). Until the store can be built every call
 * fails with {@link StoreUnavailableException}; the next call tries again.
 */
public final class DeferredSnapshotStore implements SnapshotStore {

    private final Supplier<? extends SnapshotStore> factory;
    private volatile SnapshotStore store;

    /** @param factory builds the store; throws while the store cannot be reached */
    public DeferredSnapshotStore(Supplier<? extends SnapshotStore> factory) {
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
    }

    /**
     * @return the store, built now if it was not yet
     * @throws StoreUnavailableException if it cannot be built yet
     */
    public SnapshotStore store() {
        SnapshotStore current = store;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (store == null) {
                try {
                    store = Objects.requireNonNull(factory.get(), "factory returned null");
                } catch (StoreUnavailableException ex) {
                    throw ex;
                } catch (RuntimeException ex) {
                    throw new StoreUnavailableException("The event store is not available yet: " + ex.getMessage(), ex);
                }
            }
            return store;
        }
    }

    /**
     * Builds the store now if it can be built, for callers that learn the store became reachable.
     *
     * @return whether the store is built
     */
    public boolean tryInitialize() {
        try {
            store();
            return true;
        } catch (StoreUnavailableException ex) {
            return false;
        }
    }

    @Override
    public void saveEvent(Event event) {
        store().saveEvent(event);
    }

    @Override
    public void saveEvents(List<Event> events) {
        store().saveEvents(events);
    }

    @Override
    public List<Event> getEvents(String actorId, long fromVersion) {
        return store().getEvents(actorId, fromVersion);
    }

    @Override
    public long getLatestVersion(String actorId) {
        return store().getLatestVersion(actorId);
    }

    @Override
    public void saveSnapshot(ActorSnapshot snapshot) {
        store().saveSnapshot(snapshot);
    }

    @Override
    public Optional<ActorSnapshot> getLatestSnapshot(String actorId) {
        return store().getLatestSnapshot(actorId);
    }
}
