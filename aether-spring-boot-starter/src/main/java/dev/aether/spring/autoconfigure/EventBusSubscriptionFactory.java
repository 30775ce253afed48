package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.aether.spring.SubscriberDeliveryListener;
import dev.aether.spring.AetherSubscriptionFactory;
import dev.aether.spring.AetherSubscriberEndpoint;
import dev.aether.spring.AetherSubscriber;
import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.EventHandler;
import dev.aether.Subscription;
import dev.aether.SubscriptionOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Subscribes {@link AetherSubscriber @AetherSubscriber} methods to an {@link EventBus} (the in-memory
 * bus fed by the in-memory store) and applies the retry policy the bus itself does not have: a method
 * that throws gets the same event again after {@link SubscriptionOptions#backoffAfter(int)}, up to
 * {@link SubscriptionOptions#maxDeliveries()} times; then the event is parked, which on the in-memory
 * bus means logged at error level with its id and counted, and the subscription moves on. Retries run
 * on the subscription's own delivery thread, so per-actor order is kept.
 */
final class EventBusSubscriptionFactory implements AetherSubscriptionFactory {

    private static final Log logger = LogFactory.getLog(EventBusSubscriptionFactory.class);

    private final EventBus bus;
    private final SubscriptionOptions retryPolicy;
    private final SubscriberDeliveryListener listener;

    /**
     * @param bus         the bus to subscribe to
     * @param retryPolicy the retry policy (its durable name and start position are not used)
     * @param listener    told about parked events
     */
    public EventBusSubscriptionFactory(EventBus bus, SubscriptionOptions retryPolicy,
                                       SubscriberDeliveryListener listener) {
        this.bus = Objects.requireNonNull(bus, "bus must not be null");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy must not be null");
        this.listener = Objects.requireNonNull(listener, "listener must not be null");
    }

    @Override
    public Subscription subscribe(AetherSubscriberEndpoint endpoint, EventHandler handler) {
        return bus.subscribe(endpoint.namespacePattern(), endpoint.filter(),
                (namespace, event) -> deliverWithRetries(endpoint, handler, namespace, event));
    }

    private void deliverWithRetries(AetherSubscriberEndpoint endpoint, EventHandler handler, String namespace,
                                    Event event) {
        for (int attempt = 1; ; attempt++) {
            try {
                handler.handle(namespace, event);
                return;
            } catch (RuntimeException ex) {
                if (attempt >= retryPolicy.maxDeliveries()) {
                    logger.error("@AetherSubscriber " + endpoint.id() + " parked event " + event.id() + " (type "
                            + event.eventType() + ", actor " + event.actorId() + ", version " + event.version()
                            + ") after " + attempt + " failed deliveries", ex);
                    listener.parked(endpoint, namespace, event);
                    return;
                }
                if (!await(retryPolicy.backoffAfter(attempt))) {
                    return;
                }
            }
        }
    }

    /** Waits out a back-off; false when the subscription was closed meanwhile (the thread interrupted). */
    private static boolean await(Duration backoff) {
        try {
            TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
