package dev.aether.spring.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.aether.Event;
import dev.aether.LagAware;
import dev.aether.Subscription;
import dev.aether.SubscriptionLag;
import dev.aether.spring.AetherSubscriberEndpoint;
import dev.aether.spring.SubscriberDeliveryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records deliveries to {@code @AetherSubscriber} methods and how far behind their subscriptions are:
 * <ul>
 * <li>{@code aether.subscriber.deliveries}: timer of each call, tags {@code subscriber} (the endpoint id)
 * and {@code outcome} ({@code success}, {@code failure});</li>
 * <li>{@code aether.subscriber.parked}: counter of events given up on, tag {@code subscriber};</li>
 * <li>{@code aether.subscriber.lag}: gauge of events stored and not yet handled
 * ({@link SubscriptionLag#total()}), tag {@code subscriber}, for subscriptions that are {@link LagAware}
 * (JetStream); registered while the subscription runs, NaN while the lag cannot be known. Each read asks
 * the server, so it costs one request per stream read at every scrape.</li>
 * </ul>
 */
public final class MicrometerSubscriberDeliveryListener implements SubscriberDeliveryListener {

    private final MeterRegistry registry;
    private final Map<String, Gauge> lagGauges = new ConcurrentHashMap<>();

    /** @param registry where to record */
    public MicrometerSubscriberDeliveryListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    @Override
    public void subscribed(AetherSubscriberEndpoint endpoint, Subscription subscription) {
        if (subscription instanceof LagAware lagAware) {
            Gauge gauge = Gauge.builder("aether.subscriber.lag", lagAware, MicrometerSubscriberDeliveryListener::lag)
                    .description("Events stored that the subscriber has not handled yet (NaN when unknown)")
                    .tag("subscriber", endpoint.id()).strongReference(true).register(registry);
            lagGauges.put(endpoint.id(), gauge);
        }
    }

    @Override
    public void unsubscribed(AetherSubscriberEndpoint endpoint, Subscription subscription) {
        Gauge gauge = lagGauges.remove(endpoint.id());
        if (gauge != null) {
            registry.remove(gauge);
        }
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

    private static double lag(LagAware subscription) {
        return subscription.lag().map(lag -> (double) lag.total()).orElse(Double.NaN);
    }

    private Timer timer(AetherSubscriberEndpoint endpoint, String outcome) {
        return Timer.builder("aether.subscriber.deliveries").description("Calls of @AetherSubscriber methods")
                .tags("subscriber", endpoint.id(), "outcome", outcome).register(registry);
    }
}
