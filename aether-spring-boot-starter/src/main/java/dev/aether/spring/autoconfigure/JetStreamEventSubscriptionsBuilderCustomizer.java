package dev.aether.spring.autoconfigure;

import dev.aether.jetstream.JetStreamEventSubscriptions;

/**
 * Changes the {@link JetStreamEventSubscriptions.Builder} behind {@code @AetherSubscriber} methods on
 * JetStream after the properties have been applied: fetch expiry, ack wait, discovery interval.
 * Declare one or more beans; they run in {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface JetStreamEventSubscriptionsBuilderCustomizer {

    /** @param builder the subscriptions' builder, with the properties already applied */
    void customize(JetStreamEventSubscriptions.Builder builder);
}
