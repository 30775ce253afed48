/**
 * Aether's Spring Boot API: {@link dev.aether.spring.AetherSubscriber @AetherSubscriber}, the
 * {@link dev.aether.spring.AetherSubscriberRegistry registry} that runs the annotated methods, and
 * what an application may implement to change how they run
 * ({@link dev.aether.spring.AetherSubscriptionFactory}, {@link dev.aether.spring.SubscriberDeliveryListener}).
 */
package dev.aether.spring;
