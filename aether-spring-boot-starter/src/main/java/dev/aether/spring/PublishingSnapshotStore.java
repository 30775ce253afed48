package dev.aether.spring;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.Namespace;
import dev.aether.SnapshotStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A {@link SnapshotStore} that publishes each saved event on an {@link EventBus} after the save
 * succeeded. The starter uses it for the in-memory store, whose subscribers listen on the in-memory
 * bus; in one JVM nothing can crash between the save and the publish in a way that matters, since
 * both are lost together. (The JetStream store needs no such decorator: its subscribers read the
 * stream itself.)
 *
 * <p>A failed save publishes nothing. A publish that fails (the bus is closing) is logged with the
 * event id and does not undo or fail the save.
 */
public final class PublishingSnapshotStore implements SnapshotStore {

    private static final Log logger = LogFactory.getLog(PublishingSnapshotStore.class);

    private final SnapshotStore delegate;
    private final EventBus bus;
    private final String namespace;

    /**
     * @param delegate  the store that saves
     * @param bus       the bus to publish saved events on
     * @param namespace the namespace the events are published in
     */
    public PublishingSnapshotStore(SnapshotStore delegate, EventBus bus, String namespace) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.bus = Objects.requireNonNull(bus, "bus must not be null");
        this.namespace = Namespace.requireValid(namespace);
    }

    /** @return the store this one saves to */
    public SnapshotStore delegate() {
        return delegate;
    }

    /** @return the namespace saved events are published in */
    public String namespace() {
        return namespace;
    }

    /** Saves the event, then publishes it. */
    @Override
    public void saveEvent(Event event) {
        delegate.saveEvent(event);
        try {
            bus.publish(namespace, event);
        } catch (RuntimeException ex) {
            logger.warn("Event " + event.id() + " was saved but could not be published to subscribers", ex);
        }
    }

    /** Saves the events atomically, then publishes each in version order. */
    @Override
    public void saveEvents(List<Event> events) {
        delegate.saveEvents(events);
        for (Event event : events) {
            try {
                bus.publish(namespace, event);
            } catch (RuntimeException ex) {
                logger.warn("Event " + event.id() + " was saved but could not be published to subscribers", ex);
            }
        }
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
