package dev.aether;

import java.util.List;

/**
 * An optional ability of {@link EventSubscriptions}: the events its subscriptions parked, for an
 * operator to inspect, replay once the handler is fixed, or discard. Both of Aether's implementations
 * have it ({@code InMemoryEventSubscriptions}, {@code JetStreamEventSubscriptions}); test for it with
 * {@code instanceof}.
 *
 * <p>A subscription is named by its durable name (a non-durable one by the generated name in the log).
 * A replay hands each parked event to a subscription of that name running in this process, through its
 * delivery loop: the events of one actor one after another in the order they were parked, with the
 * subscription's retries. An event the handler now handles is removed from the parked events; one that
 * fails on every delivery again is parked again (with a new id and its new failure), never lost; one
 * still waiting when the subscription closes stays parked.
 */
public interface ParkedEvents {

    /**
     * @param subscription a durable name
     * @return the events that subscription parked and nobody replayed or discarded, oldest first
     * @throws IllegalArgumentException  if the name is malformed
     * @throws StoreUnavailableException if the parked events could not be read
     */
    List<ParkedEvent> parkedEvents(String subscription);

    /**
     * @param subscription a durable name
     * @return how many events {@link #parkedEvents(String)} would list, without reading them
     * @throws IllegalArgumentException  if the name is malformed
     * @throws StoreUnavailableException if the parked events could not be counted
     */
    long parkedCount(String subscription);

    /**
     * Hands every event the subscription parked back to its handler; returns without waiting for them.
     *
     * @param subscription a durable name
     * @return how many events were handed over (an event already being replayed is not handed over again)
     * @throws IllegalStateException     if no subscription of that name runs in this process
     * @throws StoreUnavailableException if the parked events could not be read
     */
    int replayParked(String subscription);

    /**
     * Hands one parked event back to its subscription's handler; returns without waiting for it.
     *
     * @param subscription a durable name
     * @param id           the parked event's {@link ParkedEvent#id()}
     * @return whether it was handed over: false if the subscription has no such parked event, or it is
     *         being replayed already
     * @throws IllegalStateException     if no subscription of that name runs in this process
     * @throws StoreUnavailableException if the parked event could not be read
     */
    boolean replayParked(String subscription, long id);

    /**
     * Removes every event the subscription parked, for good.
     *
     * @param subscription a durable name
     * @return how many were removed
     * @throws StoreUnavailableException if they could not be removed
     */
    long discardParked(String subscription);

    /**
     * Removes one parked event, for good.
     *
     * @param subscription a durable name
     * @param id           the parked event's {@link ParkedEvent#id()}
     * @return whether it was there
     * @throws StoreUnavailableException if it could not be removed
     */
    boolean discardParked(String subscription, long id);
}
