package dev.aether.spring;

import dev.aether.EventHandler;
import dev.aether.Subscription;

/**
 * Starts the subscription behind one {@link AetherSubscriber @AetherSubscriber} method. The starter
 * offers one over the store's {@link dev.aether.EventSubscriptions} (in-memory or JetStream); declare a
 * bean of this type to replace it.
 */
@FunctionalInterface
public interface AetherSubscriptionFactory {

    /**
     * Subscribes a handler for an endpoint.
     *
     * @param endpoint the annotated method and its resolved attributes
     * @param handler  the handler to call, which throws when the method fails
     * @return the running subscription
     */
    Subscription subscribe(AetherSubscriberEndpoint endpoint, EventHandler handler);
}
