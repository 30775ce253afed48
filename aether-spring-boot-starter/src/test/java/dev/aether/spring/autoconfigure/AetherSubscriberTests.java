package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.spring.AetherSubscriber;
import dev.aether.spring.AetherSubscriberRegistry;
import dev.aether.spring.autoconfigure.metrics.AetherMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.event;
import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code @AetherSubscriber} on the in-memory store: discovery, signatures, placeholders, filters, retries. */
class AetherSubscriberTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class, AetherMetricsAutoConfiguration.class));

    @Test
    void savedEventsReachMethodsOfBothSignatures() {
        runner.withBean(BothSignatures.class).run(context -> {
            BothSignatures subscriber = context.getBean(BothSignatures.class);
            EventStore store = context.getBean(EventStore.class);
            store.saveEvent(event("order-1", 1));
            store.saveEvent(event("order-1", 2));
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(subscriber.events).extracting(Event::version).containsExactly(1L, 2L);
                assertThat(subscriber.namespaces).containsExactly("default", "default");
            });
        });
    }

    @Test
    void aMethodWithoutNamespaceListensToTheConfiguredOne() {
        runner.withPropertyValues("aether.namespace=tenant-a.orders").withBean(BothSignatures.class).run(context -> {
            context.getBean(EventStore.class).saveEvent(event("order-1", 1));
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(context.getBean(BothSignatures.class).namespaces).containsExactly("tenant-a.orders"));
        });
    }

    @Test
    void placeholdersAreResolvedAndFiltersApplied() {
        runner.withPropertyValues("aether.namespace=shop.eu", "app.pattern=shop.*", "app.type=OrderShipped",
                "app.actor=vip.*").withBean(Filtered.class).run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    store.saveEvent(event("vip.1", 1));
                    store.saveEvent(Event.builder().eventType("OrderShipped").actorId("plain").version(1).build());
                    store.saveEvent(Event.builder().eventType("OrderShipped").actorId("vip.2").version(1).build());
                    Filtered subscriber = context.getBean(Filtered.class);
                    await().atMost(WAIT).untilAsserted(() -> {
                        assertThat(subscriber.byType).extracting(Event::actorId).containsExactly("plain", "vip.2");
                        assertThat(subscriber.byActor).extracting(Event::actorId).containsExactly("vip.1", "vip.2");
                    });
                    assertThat(context.getBean(AetherSubscriberRegistry.class).endpoints())
                            .extracting(e -> e.namespacePattern()).containsOnly("shop.*");
                });
    }

    @Test
    void aMethodWithAnotherSignatureFailsStartupNamingTheBeanClassAndMethod() {
        runner.withBean(WrongSignature.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains(WrongSignature.class.getName() + ".on(Event, int)")
                    .contains("must take (Event) or (String namespace, Event event)");
        });
    }

    @Test
    void aMalformedPatternFailsStartupNamingTheMethod() {
        runner.withBean(WrongPattern.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(WrongPattern.class.getName() + ".on(Event)")
                    .contains("orders.>.x");
        });
    }

    @Test
    void aThrowingMethodGetsTheEventAgainThenItIsParkedAndOthersFlow() {
        runner.withPropertyValues("aether.subscribers.max-deliveries=3", "aether.subscribers.retry-backoff=20ms",
                "aether.subscribers.max-retry-backoff=40ms").withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(Failing.class).run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    store.saveEvent(event("poison", 1));
                    store.saveEvent(event("fine", 1));
                    Failing subscriber = context.getBean(Failing.class);
                    await().atMost(WAIT).untilAsserted(() ->
                            assertThat(subscriber.handled).extracting(Event::actorId).containsExactly("fine"));
                    assertThat(subscriber.poisonAttempts).hasValue(3);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("aether.subscriber.parked").tags("subscriber", "failing").counter().count())
                            .isEqualTo(1.0);
                    assertThat(registry.get("aether.subscriber.deliveries").tags("subscriber", "failing", "outcome",
                            "failure").timer().count()).isEqualTo(3);
                    assertThat(registry.get("aether.subscriber.deliveries").tags("subscriber", "failing", "outcome",
                            "success").timer().count()).isEqualTo(1);
                });
    }

    @Test
    void subscriptionsRunWhileTheContextRunsAndStopWhenItCloses() {
        runner.withBean(BothSignatures.class).run(context -> {
            AetherSubscriberRegistry registry = context.getBean(AetherSubscriberRegistry.class);
            assertThat(registry.isRunning()).isTrue();
            assertThat(registry.endpoints()).hasSize(2);
            registry.endpoints().forEach(endpoint -> assertThat(registry.isRunning(endpoint.id())).isTrue());
            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
            assertThat(registry.isRunning()).isFalse();
            registry.endpoints().forEach(endpoint -> assertThat(registry.isRunning(endpoint.id())).isFalse());
        });
    }

    @Test
    void annotatedMethodsAreIgnoredWhenSubscribersAreOff() {
        runner.withPropertyValues("aether.subscribers.enabled=false").withBean(WrongSignature.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AetherSubscriberRegistry.class));
    }

    static class BothSignatures {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<String> namespaces = new CopyOnWriteArrayList<>();

        @AetherSubscriber
        void onEvent(Event event) {
            events.add(event);
        }

        @AetherSubscriber
        void onNamespacedEvent(String namespace, Event event) {
            namespaces.add(namespace);
        }
    }

    static class Filtered {
        final List<Event> byType = new CopyOnWriteArrayList<>();
        final List<Event> byActor = new CopyOnWriteArrayList<>();

        @AetherSubscriber(namespace = "${app.pattern}", eventTypes = "${app.type}")
        void onShipped(Event event) {
            byType.add(event);
        }

        @AetherSubscriber(namespace = "${app.pattern}", actor = "${app.actor}")
        void onVip(Event event) {
            byActor.add(event);
        }
    }

    static class WrongSignature {
        @AetherSubscriber
        void on(Event event, int extra) {
        }
    }

    static class WrongPattern {
        @AetherSubscriber(namespace = "orders.>.x")
        void on(Event event) {
        }
    }

    static class Failing {
        final AtomicInteger poisonAttempts = new AtomicInteger();
        final List<Event> handled = new CopyOnWriteArrayList<>();

        @AetherSubscriber(id = "failing")
        void on(Event event) {
            if (event.actorId().equals("poison")) {
                poisonAttempts.incrementAndGet();
                throw new IllegalStateException("cannot handle " + event.id());
            }
            handled.add(event);
        }
    }
}
