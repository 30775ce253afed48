package dev.aether.sample.api;

import dev.aether.Event;

import java.time.Instant;
import java.util.Map;

/**
 * An event as the API and the live feed show it.
 *
 * @param namespace the namespace it was saved in
 * @param id        the event id
 * @param type      the event type
 * @param actorId   the actor
 * @param version   the actor's version this event made
 * @param data      the payload
 * @param metadata  correlation, causation, origin and the like
 * @param timestamp when it was created
 */
public record EventView(String namespace, String id, String type, String actorId, long version,
                        Map<String, Object> data, Map<String, String> metadata, Instant timestamp) {

    /**
     * @param namespace the namespace
     * @param event     the event
     * @return its view
     */
    public static EventView of(String namespace, Event event) {
        return new EventView(namespace, event.id(), event.eventType(), event.actorId(), event.version(), event.data(),
                event.metadata(), event.timestamp());
    }
}
