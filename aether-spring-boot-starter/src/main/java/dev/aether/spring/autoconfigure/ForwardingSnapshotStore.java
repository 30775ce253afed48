package dev.aether.spring.autoconfigure;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.SnapshotStore;

/** A {@link SnapshotStore} that passes every call to another; the starter's decorators override what they add to. */
abstract class ForwardingSnapshotStore implements SnapshotStore {

    private final SnapshotStore delegate;

    ForwardingSnapshotStore(SnapshotStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** @return the store this one passes calls to */
    SnapshotStore delegate() {
        return delegate;
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

    @Override
    public List<Event> getEvents(String actorId, long fromVersion) {
        return delegate.getEvents(actorId, fromVersion);
    }

    @Override
    public long getLatestVersion(String actorId) {
        return delegate.getLatestVersion(actorId);
    }

    @Override
    public void saveSnapshot(ActorSnapshot snapshot) {
        delegate.saveSnapshot(snapshot);
    }

    @Override
    public Optional<ActorSnapshot> getLatestSnapshot(String actorId) {
        return delegate.getLatestSnapshot(actorId);
    }
}
