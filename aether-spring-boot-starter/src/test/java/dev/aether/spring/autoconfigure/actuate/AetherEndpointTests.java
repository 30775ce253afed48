package dev.aether.spring.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.spring.AetherSubscriber;
import dev.aether.spring.actuate.AetherEndpoint;
import dev.aether.spring.actuate.AetherEndpoint.ParkedEventDescriptor;
import dev.aether.spring.actuate.AetherEndpoint.SubscriptionDescriptor;
import dev.aether.spring.autoconfigure.AetherAutoConfiguration;
import dev.aether.test.nats.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The {@code aether} actuator endpoint: when it exists, and its operations on both stores. */
class AetherEndpointTests {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class,
                    AetherEndpointAutoConfiguration.class))
            .withPropertyValues("aether.subscribers.max-deliveries=2", "aether.subscribers.retry-backoff=20ms",
                    "aether.subscribers.max-retry-backoff=20ms", "management.health.aether.enabled=false");

    private final ApplicationContextRunner exposed = runner
            .withPropertyValues("management.endpoints.web.exposure.include=health,aether");

    @Test
    void isAbsentUnlessTheApplicationExposesIt() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AetherEndpoint.class));
    }

    @Test
    void isPresentWhenExposed() {
        exposed.run(context -> assertThat(context).hasSingleBean(AetherEndpoint.class));
    }

    @Test
    void isAbsentWhenItsAccessIsNone() {
        exposed.withPropertyValues("management.endpoint.aether.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(AetherEndpoint.class));
    }

    @Test
    void isAbsentWithoutActuator() {
        exposed.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AetherEndpoint.class));
    }

    @Test
    void isAbsentWhenSubscribersAreOff() {
        exposed.withPropertyValues("aether.subscribers.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AetherEndpoint.class));
    }

    @Test
    void listsReplaysAndDiscardsParkedEventsOnTheMemoryStore() {
        exposed.withBean(Billing.class).run(AetherEndpointTests::listReplayAndDiscard);
    }

    @Test
    void listsReplaysAndDiscardsParkedEventsOnJetStream() {
        exposed.withBean(Billing.class).withPropertyValues("aether.store.type=jetstream",
                "aether.nats.servers=" + NATS.url(), "aether.nats.drain-timeout=2s", "aether.namespace=endpoint")
                .run(AetherEndpointTests::listReplayAndDiscard);
    }

    @Test
    void listsThePartitionsThisProcessOwnsOnBothStores() {
        for (String store : List.of("memory", "jetstream")) {
            exposed.withBean(Ledger.class).withPropertyValues("aether.store.type=" + store,
                    "aether.nats.servers=" + NATS.url(), "aether.nats.drain-timeout=2s", "aether.namespace=owned")
                    .run(context -> {
                        AetherEndpoint endpoint = context.getBean(AetherEndpoint.class);
                        await().atMost(WAIT).untilAsserted(() -> {
                            SubscriptionDescriptor ledger = endpoint.subscriptions().subscriptions().get(0);
                            assertThat(ledger.partitions()).isEqualTo(3);
                            assertThat(ledger.ownedPartitions()).as(store + ": a sole member owns every partition")
                                    .containsExactly(0, 1, 2);
                        });
                    });
        }
        exposed.withBean(Billing.class).run(context -> {
            SubscriptionDescriptor billing = context.getBean(AetherEndpoint.class).subscriptions().subscriptions().get(0);
            assertThat(billing.partitions()).isEqualTo(1);
            assertThat(billing.ownedPartitions()).isNull();
        });
    }

    private static void listReplayAndDiscard(AssertableApplicationContext context) {
        AetherEndpoint endpoint = context.getBean(AetherEndpoint.class);
        Billing billing = context.getBean(Billing.class);
        EventStore store = context.getBean(EventStore.class);
        await().atMost(WAIT).until(() -> endpoint.subscriptions().subscriptions().get(0).running());
        store.saveEvent(event("invoice-1", 1));
        store.saveEvent(event("invoice-2", 1));
        store.saveEvent(event("invoice-3", 1));
        await().atMost(WAIT).until(() -> endpoint.parked("billing").parked().size() == 3);

        SubscriptionDescriptor subscription = endpoint.subscriptions().subscriptions().get(0);
        assertThat(subscription.subscriber()).isEqualTo("billing-method");
        assertThat(subscription.durableName()).isEqualTo("billing");
        assertThat(subscription.parked()).isEqualTo(3);
        await().atMost(WAIT).until(() -> Long.valueOf(0).equals(endpoint.subscriptions().subscriptions().get(0).lag()));
        List<ParkedEventDescriptor> parked = endpoint.parked("billing").parked();
        assertThat(parked).extracting(ParkedEventDescriptor::actorId)
                .containsExactlyInAnyOrder("invoice-1", "invoice-2", "invoice-3");
        assertThat(parked).allSatisfy(p -> {
            assertThat(p.deliveries()).isEqualTo(2);
            assertThat(p.failure()).contains("billing is down");
        });

        long discardedId = parked.get(0).id();
        assertThat(endpoint.discard("billing", discardedId).discarded()).isEqualTo(1);
        assertThat(endpoint.discard("billing", discardedId).discarded()).isZero();

        billing.broken.set(false);
        long replayedId = parked.get(1).id();
        assertThat(endpoint.replay("billing", replayedId).replayed()).isEqualTo(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(billing.handled).containsExactly(parked.get(1).actorId()));
        await().atMost(WAIT).until(() -> endpoint.parked("billing").parked().size() == 1);

        assertThat(endpoint.discard("billing", null).discarded()).isEqualTo(1);
        assertThat(endpoint.parked("billing").parked()).isEmpty();
        assertThat(endpoint.replay("billing", null).replayed()).isZero();
        assertThatThrownBy(() -> endpoint.replay("nobody", null)).isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessageContaining("'nobody'");
        assertThatThrownBy(() -> endpoint.parked("not a name")).isInstanceOf(InvalidEndpointRequestException.class);
    }

    private static Event event(String actor, long version) {
        return Event.builder().eventType("InvoiceDue").actorId(actor).version(version).build();
    }

    static class Ledger {
        @AetherSubscriber(id = "ledger", durable = "ledger", partitions = "3")
        void on(Event event) {
        }
    }

    static class Billing {
        final AtomicBoolean broken = new AtomicBoolean(true);
        final List<String> handled = new CopyOnWriteArrayList<>();

        @AetherSubscriber(id = "billing-method", durable = "billing")
        void on(Event event) {
            if (broken.get()) {
                throw new IllegalStateException("billing is down");
            }
            handled.add(event.actorId());
        }
    }
}
