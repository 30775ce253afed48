package dev.aether.spring.autoconfigure;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
final class PublishingSnapshotStore extends ForwardingSnapshotStore {

    private static final Log logger = LogFactory.getLog(PublishingSnapshotStore.class);

    private final EventBus bus;
    private final String namespace;

    /**
     * @param delegate  the store that saves
     * @param bus       the bus to publish saved events on
     * @param namespace the namespace the events are published in
     */
    public PublishingSnapshotStore(SnapshotStore delegate, EventBus bus, String namespace) {
        super(delegate);
        this.bus = Objects.requireNonNull(bus, "bus must not be null");
        this.namespace = Namespace.requireValid(namespace);
    }

    /** @return the namespace saved events are published in */
    public String namespace() {
        return namespace;
    }

    /** Saves the event, then publishes it. */
    @Override
    public void saveEvent(Event event) {
        delegate().saveEvent(event);
        publish(List.of(event));
    }

    /** Saves the events atomically, then publishes each in version order. */
    @Override
    public void saveEvents(List<Event> events) {
        delegate().saveEvents(events);
        publish(events);
    }

    /** Saves the event without waiting, and publishes it once it is saved. */
    @Override
    public CompletableFuture<Void> saveEventAsync(Event event) {
        return delegate().saveEventAsync(event).thenRun(() -> publish(List.of(event)));
    }

    /** Saves the events without waiting, and publishes each once all are saved. */
    @Override
    public CompletableFuture<Void> saveEventsAsync(List<Event> events) {
        return delegate().saveEventsAsync(events).thenRun(() -> publish(events));
    }

    private void publish(List<Event> saved) {
        for (Event event : saved) {
            try {
                bus.publish(namespace, event);
            } catch (RuntimeException ex) {
                logger.warn("Event " + event.id() + " was saved but could not be published to subscribers", ex);
            }
        }
    }
}
