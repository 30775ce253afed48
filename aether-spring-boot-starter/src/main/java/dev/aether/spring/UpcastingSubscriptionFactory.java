package dev.aether.spring;

import java.util.Objects;

import dev.aether.EventHandler;
import dev.aether.Subscription;
import dev.aether.upcast.UpcasterChain;

/**
 * Hands {@link AetherSubscriber @AetherSubscriber} methods every event at today's schema version: it
 * subscribes through another factory with the filter widened to the types' older names, and upcasts
 * each event before the method's filter and the method see it.
 */
public final class UpcastingSubscriptionFactory implements AetherSubscriptionFactory {

    private final AetherSubscriptionFactory delegate;
    private final UpcasterChain chain;

    /**
     * @param delegate the factory that subscribes
     * @param chain    the upcasters applied before each method
     */
    public UpcastingSubscriptionFactory(AetherSubscriptionFactory delegate, UpcasterChain chain) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.chain = Objects.requireNonNull(chain, "chain must not be null");
    }

    @Override
    public Subscription subscribe(AetherSubscriberEndpoint endpoint, EventHandler handler) {
        return delegate.subscribe(endpoint.withFilter(chain.storedFilter(endpoint.filter())),
                chain.handler(endpoint.filter(), handler));
    }
}
