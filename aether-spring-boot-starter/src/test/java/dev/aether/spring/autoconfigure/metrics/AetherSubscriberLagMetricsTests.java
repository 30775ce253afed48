package dev.aether.spring.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.spring.AetherSubscriber;
import dev.aether.spring.AetherSubscriberRegistry;
import dev.aether.spring.autoconfigure.AetherAutoConfiguration;
import dev.aether.test.nats.NatsServerExtension;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code aether.subscriber.lag} gauge: present while an {@code @AetherSubscriber} runs, on either
 * store, following its backlog; NaN while the NATS server is down; gone when it stops.
 */
class AetherSubscriberLagMetricsTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final NatsServerExtension nats = new NatsServerExtension();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class, AetherMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> registry)
            .withPropertyValues("aether.store.type=jetstream", "aether.nats.reconnect.delay=100ms",
                    "aether.nats.drain-timeout=2s", "aether.namespace=lag", "management.health.aether.enabled=false");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "jetstream"})
    void theLagGaugeFollowsTheBacklogOfASubscriberAndIsRemovedWhenItStops(String storeType) {
        runner.withPropertyValues("aether.store.type=" + storeType, "aether.nats.servers=" + nats.url())
                .withBean(BlockedSubscriber.class).run(context -> {
            AetherSubscriberRegistry subscribers = context.getBean(AetherSubscriberRegistry.class);
            await().atMost(WAIT).until(() -> subscribers.isRunning("projection"));
            assertThat(lag()).isZero();

            EventStore store = context.getBean(EventStore.class);
            for (int version = 1; version <= 5; version++) {
                store.saveEvent(Event.builder().eventType("OrderPlaced").actorId("order-1").version(version).build());
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(lag()).isEqualTo(5));

            context.getBean(BlockedSubscriber.class).release.countDown();
            await().atMost(WAIT).untilAsserted(() -> assertThat(lag()).isZero());

            subscribers.stop();
            assertThat(registry.find("aether.subscriber.lag").gauges()).isEmpty();
        });
    }

    @Test
    void theLagIsNaNWhileTheServerIsDown() {
        runner.withPropertyValues("aether.nats.servers=" + nats.url()).withBean(BlockedSubscriber.class).run(context -> {
            AetherSubscriberRegistry subscribers = context.getBean(AetherSubscriberRegistry.class);
            await().atMost(WAIT).until(() -> subscribers.isRunning("projection"));
            context.getBean(BlockedSubscriber.class).release.countDown();
            assertThat(lag()).isZero();

            nats.stop();
            assertThat(lag()).isNaN();

            nats.start();
            await().atMost(WAIT).untilAsserted(() -> assertThat(lag()).isZero());
        });
    }

    private double lag() {
        Gauge gauge = registry.find("aether.subscriber.lag").tag("subscriber", "projection").gauge();
        assertThat(gauge).as("aether.subscriber.lag{subscriber=projection}").isNotNull();
        return gauge.value();
    }

    /** A projection whose method waits until the test releases it. */
    static class BlockedSubscriber {
        final CountDownLatch release = new CountDownLatch(1);

        @AetherSubscriber(id = "projection", durable = "projection")
        void on(Event event) {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }
}
