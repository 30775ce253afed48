package dev.aether;

/**
 * Durable, at-least-once subscriptions fed by the store itself: every saved event reaches them,
 * with no separate publish and so no dual write.
 *
 * <p>An event is acknowledged only after the handler returns. A handler that throws gets the event
 * again after a back-off, up to {@link SubscriptionOptions#maxDeliveries()} deliveries; then the
 * event is parked as a {@link ParkedEvent} (see the implementation for where) and the subscription
 * moves on. Events of one actor reach one subscription in version order. Implementations:
 * {@code dev.aether.memory.InMemoryEventSubscriptions}, {@code dev.aether.jetstream.JetStreamEventSubscriptions};
 * {@link dev.aether.spi.ActorOrderedDelivery} is their shared delivery loop. See {@code docs/subscriptions.md}.
 */
public interface EventSubscriptions {

    /**
     * Starts a subscription.
     *
     * @param namespacePattern which namespaces to read, with the wildcards of {@link NamespacePattern}
     * @param filter           which events to hand to the handler; the others are acknowledged unseen
     * @param handler          called once per event, again after a failure
     * @param options          durable name, start position and retry policy
     * @return the running subscription; closing it keeps a durable subscription's position
     * @throws IllegalArgumentException  if the pattern is malformed
     * @throws StoreUnavailableException if the store could not be reached
     */
    Subscription subscribe(String namespacePattern, SubscriptionFilter filter, EventHandler handler,
                           SubscriptionOptions options);
}
