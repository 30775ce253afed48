package dev.aether.typed;

import dev.aether.Event;

/**
 * Receives the events of one registered class, read from their data.
 *
 * @param <T> the class the events' data is read as
 */
@FunctionalInterface
public interface TypedEventHandler<T> {

    /**
     * Handles one event.
     *
     * @param payload the event's data, read as the registered class
     * @param event   the event it was read from
     */
    void handle(T payload, Event event);
}
