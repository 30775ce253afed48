package dev.aether.upcast;

import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;

import java.util.Objects;

/**
 * {@link EventSubscriptions} whose handlers receive every event at today's schema version, brought
 * there by an {@link UpcasterChain}. The filter is applied to the upcast event, so a filter on a type's
 * new name also receives the events stored under its old one.
 *
 * <p>An event whose upcasting fails (a {@link MissingUpcasterException}) fails its delivery like a
 * handler that throws: it is retried and then parked as stored.
 */
public final class UpcastingEventSubscriptions implements EventSubscriptions {

    private final EventSubscriptions delegate;
    private final UpcasterChain chain;

    /**
     * @param delegate the subscriptions that read the store
     * @param chain    the upcasters applied before each handler
     */
    public UpcastingEventSubscriptions(EventSubscriptions delegate, UpcasterChain chain) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.chain = Objects.requireNonNull(chain, "chain must not be null");
    }

    @Override
    public Subscription subscribe(String namespacePattern, SubscriptionFilter filter, EventHandler handler,
                                  SubscriptionOptions options) {
        if (chain.isEmpty()) {
            return delegate.subscribe(namespacePattern, filter, handler, options);
        }
        return delegate.subscribe(namespacePattern, chain.storedFilter(filter), chain.handler(filter, handler), options);
    }

    @Override
    public String toString() {
        return "UpcastingEventSubscriptions[" + delegate + "]";
    }
}
