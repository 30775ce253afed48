package dev.aether.spring;

import java.time.Duration;

import dev.aether.Event;
import dev.aether.Subscription;

/**
 * Told about each delivery to an {@link AetherSubscriber @AetherSubscriber} method, and about each
 * subscription starting and stopping, for metrics. Implementations must be fast and must not throw.
 */
public interface SubscriberDeliveryListener {

    /** A listener that does nothing. */
    SubscriberDeliveryListener NONE = new SubscriberDeliveryListener() {
    };

    /**
     * The endpoint's subscription started (again, after a {@link #unsubscribed stop}).
     *
     * @param endpoint     the subscriber
     * @param subscription its running subscription, which may offer optional abilities such as
     *                     {@link dev.aether.LagAware}
     */
    default void subscribed(AetherSubscriberEndpoint endpoint, Subscription subscription) {
    }

    /**
     * The endpoint's subscription was closed.
     *
     * @param endpoint     the subscriber
     * @param subscription the subscription that was closed
     */
    default void unsubscribed(AetherSubscriberEndpoint endpoint, Subscription subscription) {
    }

    /**
     * The method returned normally.
     *
     * @param endpoint  the subscriber
     * @param namespace the event's namespace
     * @param event     the event
     * @param duration  how long the method ran
     */
    default void delivered(AetherSubscriberEndpoint endpoint, String namespace, Event event, Duration duration) {
    }

    /**
     * The method threw; the event will be delivered again or parked.
     *
     * @param endpoint  the subscriber
     * @param namespace the event's namespace
     * @param event     the event
     * @param failure   what the method threw
     * @param duration  how long the method ran
     */
    default void failed(AetherSubscriberEndpoint endpoint, String namespace, Event event, Throwable failure,
                        Duration duration) {
    }

    /**
     * The subscription gave up on the event after its last delivery failed and parked it (both stores).
     *
     * @param endpoint  the subscriber
     * @param namespace the event's namespace
     * @param event     the event
     */
    default void parked(AetherSubscriberEndpoint endpoint, String namespace, Event event) {
    }
}
