package dev.aether;

import java.util.Optional;

/**
 * An optional ability of a {@link Subscription}: saying how far behind the store it is. Test for it
 * with {@code instanceof}; {@code JetStreamEventSubscriptions} returns subscriptions that have it.
 *
 * <p>Reading the lag may ask the server (one request per stream read), so call it when the number is
 * wanted, for a metric or a health check, not for every event.
 */
public interface LagAware {

    /**
     * Never throws.
     *
     * @return the subscription's lag now, or empty if it cannot be known (the server cannot be
     *         reached, or the subscription is closed)
     */
    Optional<SubscriptionLag> lag();
}
