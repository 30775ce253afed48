package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.LagAware;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionLag;
import dev.aether.SubscriptionOptions;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lag a {@link JetStreamEventSubscriptions} subscription reports ({@link LagAware}) follows its
 * backlog on a real nats-server, and is unknown, without an exception, while the server is down.
 */
class JetStreamSubscriptionLagTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    final NatsServerExtension nats = new NatsServerExtension();

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger handled = new AtomicInteger();
    private Connection connection;
    private JetStreamEventSubscriptions subscriptions;
    private JetStreamEventStore store;
    private String namespace;

    @BeforeEach
    void connect() {
        connection = nats.connect();
        namespace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        store = JetStreamEventStore.builder(connection).namespace(namespace).build();
        subscriptions = JetStreamEventSubscriptions.builder(connection).build();
    }

    @AfterEach
    void release() {
        release.countDown();
        subscriptions.close();
    }

    @Test
    void countsEventsNotYetHandledAndFallsToZeroOnceTheHandlerCatchesUp() {
        LagAware subscription = blockedSubscription();
        assertThat(subscription.lag()).contains(SubscriptionLag.NONE);
        int saved = JetStreamEventSubscriptions.MAX_IN_FLIGHT + 44;
        saveEvents(saved);

        // the subscriber holds at most MAX_IN_FLIGHT events; the server keeps the rest
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(subscription.lag())
                .contains(new SubscriptionLag(44, JetStreamEventSubscriptions.MAX_IN_FLIGHT)));

        release.countDown();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(subscription.lag()).contains(SubscriptionLag.NONE));
        assertThat(handled).hasValue(saved);
    }

    @Test
    void isUnknownWhileTheServerIsDownAndKnownAgainAfterItRestarts() {
        LagAware subscription = blockedSubscription();
        saveEvents(5);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(subscription.lag().map(SubscriptionLag::total))
                .contains(5L));

        nats.stop();
        assertThat(subscription.lag()).isEmpty();

        nats.start();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(subscription.lag()).isPresent());
    }

    @Test
    void isUnknownOnceTheSubscriptionIsClosed() {
        Subscription subscription = subscriptions.subscribe(namespace, SubscriptionFilter.all(), (ns, e) -> { },
                SubscriptionOptions.builder().durableName(durableName()).build());
        subscription.close();

        assertThat(((LagAware) subscription).lag()).isEmpty();
    }

    /** A durable subscription whose handler waits for {@link #release} on every event. */
    private LagAware blockedSubscription() {
        Subscription subscription = subscriptions.subscribe(namespace, SubscriptionFilter.all(), (ns, e) -> {
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
            handled.incrementAndGet();
        }, SubscriptionOptions.builder().durableName(durableName()).startPosition(StartPosition.beginning()).build());
        assertThat(subscription).isInstanceOf(LagAware.class);
        return (LagAware) subscription;
    }

    private void saveEvents(int count) {
        for (int version = 1; version <= count; version++) {
            store.saveEvent(Event.builder().eventType("OrderPlaced").actorId("order-1").version(version)
                    .data(Map.of("v", version)).build());
        }
    }

    private static String durableName() {
        return "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
