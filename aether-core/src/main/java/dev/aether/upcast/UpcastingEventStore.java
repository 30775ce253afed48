package dev.aether.upcast;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.SnapshotStore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link EventStore} that brings every event it reads to today's schema version through an
 * {@link UpcasterChain}; saves (single, batch and asynchronous), versions and snapshots go to the wrapped
 * store unchanged, so the stored bytes never change.
 *
 * <pre>{@code
 * SnapshotStore store = UpcastingEventStore.wrap(jetStreamStore, UpcasterChain.of(upcasters));
 * }</pre>
 */
public class UpcastingEventStore implements EventStore {

    private final EventStore delegate;
    private final UpcasterChain chain;

    /**
     * @param delegate the store that keeps the events
     * @param chain    the upcasters applied on read
     */
    protected UpcastingEventStore(EventStore delegate, UpcasterChain chain) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.chain = Objects.requireNonNull(chain, "chain must not be null");
    }

    /**
     * @param store the store that keeps the events
     * @param chain the upcasters applied on read
     * @return an event store reading through the chain
     */
    public static EventStore wrap(EventStore store, UpcasterChain chain) {
        return new UpcastingEventStore(store, chain);
    }

    /**
     * @param store the store that keeps the events and snapshots
     * @param chain the upcasters applied on read
     * @return a snapshot store reading events through the chain; snapshots pass unchanged
     */
    public static SnapshotStore wrap(SnapshotStore store, UpcasterChain chain) {
        return new Snapshots(store, chain);
    }

    /** @return the chain applied on read */
    public UpcasterChain chain() {
        return chain;
    }

    @Override
    public void saveEvent(Event event) {
        delegate.saveEvent(event);
    }

    @Override
    public void saveEvents(List<Event> events) {
        delegate.saveEvents(events);
    }

    @Override
    public CompletableFuture<Void> saveEventAsync(Event event) {
        return delegate.saveEventAsync(event);
    }

    @Override
    public CompletableFuture<Void> saveEventsAsync(List<Event> events) {
        return delegate.saveEventsAsync(events);
    }

    /**
     * {@inheritDoc}
     *
     * @throws MissingUpcasterException if an event's type has upcasters but none from its version
     */
    @Override
    public List<Event> getEvents(String actorId, long fromVersion) {
        return chain.upcast(delegate.getEvents(actorId, fromVersion));
    }

    @Override
    public long getLatestVersion(String actorId) {
        return delegate.getLatestVersion(actorId);
    }

    @Override
    public String toString() {
        return "UpcastingEventStore[" + delegate + "]";
    }

    private static final class Snapshots extends UpcastingEventStore implements SnapshotStore {
        private final SnapshotStore snapshots;

        Snapshots(SnapshotStore delegate, UpcasterChain chain) {
            super(delegate, chain);
            this.snapshots = delegate;
        }

        @Override
        public void saveSnapshot(ActorSnapshot snapshot) {
            snapshots.saveSnapshot(snapshot);
        }

        @Override
        public Optional<ActorSnapshot> getLatestSnapshot(String actorId) {
            return snapshots.getLatestSnapshot(actorId);
        }
    }
}
