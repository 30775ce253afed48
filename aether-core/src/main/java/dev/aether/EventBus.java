package dev.aether;

/**
 * Publishes events to subscribers by namespace: live, at most once, in publish order per subscription.
 *
 * <p>Namespaces are dot-separated tokens of {@code [A-Za-z0-9_-]} ({@code orders},
 * {@code tenant-a.orders}). Subscription patterns follow NATS rules: {@code *} matches exactly one
 * token, {@code >} matches one or more trailing tokens and may only be the last token. See
 * {@link NamespacePattern}.
 */
public interface EventBus extends AutoCloseable {

    /**
     * Publishes an event to every subscription whose pattern and filter match.
     *
     * @param namespace a namespace (no wildcards)
     * @param event     the event
     * @throws IllegalArgumentException if {@code namespace} is malformed
     * @throws IllegalStateException    if the bus is closed
     */
    void publish(String namespace, Event event);

    /**
     * Subscribes a handler. When this method returns the subscription receives every matching event
     * published afterwards.
     *
     * @param namespacePattern a namespace pattern, wildcards allowed
     * @param filter           which events to deliver; {@link SubscriptionFilter#all()} for every event
     * @param handler          called once per delivered event; an exception it throws is logged and
     *                         does not stop the subscription
     * @return the subscription, to close when done
     * @throws IllegalArgumentException if {@code namespacePattern} is malformed
     * @throws IllegalStateException    if the bus is closed
     */
    Subscription subscribe(String namespacePattern, SubscriptionFilter filter, EventHandler handler);

    /** Closes every subscription and releases the bus's threads and resources. */
    @Override
    void close();
}
