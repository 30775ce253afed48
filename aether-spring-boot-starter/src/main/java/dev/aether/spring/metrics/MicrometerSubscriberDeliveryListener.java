package dev.aether.spring.metrics;

import java.time.Duration;
import java.util.Objects;

import dev.aether.Event;
import dev.aether.spring.AetherSubscriberEndpoint;
import dev.aether.spring.SubscriberDeliveryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records deliveries to {@code @AetherSubscriber} methods:
 * <ul>
 * <li>{@code aether.subscriber.deliveries}: timer of each call, tags {@code subscriber} (the endpoint id)
 * and {@code outcome} ({@code success}, {@code failure});</li>
 * <li>{@code aether.subscriber.parked}: counter of events given up on, tag {@code subscriber}.</li>
 * </ul>
 */
public final class MicrometerSubscriberDeliveryListener implements SubscriberDeliveryListener {

    private final MeterRegistry registry;

    /** @param registry where to record */
    public MicrometerSubscriberDeliveryListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    @Override
    public void delivered(AetherSubscriberEndpoint endpoint, String namespace, Event event, Duration duration) {
        timer(endpoint, "success").record(duration);
    }

    @Override
    public void failed(AetherSubscriberEndpoint endpoint, String namespace, Event event, Throwable failure,
                       Duration duration) {
        timer(endpoint, "failure").record(duration);
    }

    @Override
    public void parked(AetherSubscriberEndpoint endpoint, String namespace, Event event) {
        Counter.builder("aether.subscriber.parked").description("Events given up on after their last failed delivery")
                .tag("subscriber", endpoint.id()).register(registry).increment();
    }

    private Timer timer(AetherSubscriberEndpoint endpoint, String outcome) {
        return Timer.builder("aether.subscriber.deliveries").description("Calls of @AetherSubscriber methods")
                .tags("subscriber", endpoint.id(), "outcome", outcome).register(registry);
    }
}
