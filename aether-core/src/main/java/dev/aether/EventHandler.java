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

    /**
     * Told that a durable subscription gave up on an event after its last delivery failed, once the
     * event has been parked (see {@link ParkedEvent}). Does nothing unless overridden; meant for
     * metrics and alerts. Must not throw; an exception is logged and ignored.
     *
     * @param namespace  the event's namespace
     * @param event      the event, as stored
     * @param deliveries how many times {@link #handle} was called with it
     * @param failure    the last failure
     */
    default void parked(String namespace, Event event, int deliveries, Throwable failure) {
    }
}
