package dev.aether.spring.autoconfigure;

import java.util.Objects;
import java.util.function.Function;

import dev.aether.spring.AetherSubscriptionFactory;
import dev.aether.spring.AetherSubscriberEndpoint;
import dev.aether.spring.AetherSubscriber;
import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.Subscription;
import dev.aether.SubscriptionOptions;

/**
 * Subscribes {@link AetherSubscriber @AetherSubscriber} methods through the store's
 * {@link EventSubscriptions}: every saved event reaches them with no separate publish, and the
 * subscription's own retry and parking policy applies to a method that throws.
 */
final class DurableSubscriptionFactory implements AetherSubscriptionFactory {

    private final EventSubscriptions subscriptions;
    private final Function<String, SubscriptionOptions> options;

    /**
     * @param subscriptions the store's durable subscriptions
     * @param options       the options for a durable name (null for a per-process subscription)
     */
    public DurableSubscriptionFactory(EventSubscriptions subscriptions, Function<String, SubscriptionOptions> options) {
        this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions must not be null");
        this.options = Objects.requireNonNull(options, "options must not be null");
    }

    @Override
    public Subscription subscribe(AetherSubscriberEndpoint endpoint, EventHandler handler) {
        return subscriptions.subscribe(endpoint.namespacePattern(), endpoint.filter(), handler,
                options.apply(endpoint.durableName()).withStartPosition(endpoint.startPosition())
                        .withPartitions(endpoint.partitions()));
    }
}
