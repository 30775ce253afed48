package dev.aether;

/** Receives the events of a subscription. */
@FunctionalInterface
public interface EventHandler {

    /**
     * Handles one event.
     *
     * @param namespace the namespace the event was published or saved in
     * @param event     the event
     */
    void handle(String namespace, Event event);
}
