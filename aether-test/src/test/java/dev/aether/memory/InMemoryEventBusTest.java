package dev.aether.memory;

import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.SubscriptionFilter;
import dev.aether.test.EventBusContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link InMemoryEventBus} keeps the bus contract, and counts what its overflow policy drops. */
class InMemoryEventBusTest extends EventBusContract {

    @Override
    protected EventBus createBus() {
        return new InMemoryEventBus();
    }

    private static Event tick(int version) {
        return Event.builder().eventType("Tick").actorId("clock").version(version).data(Map.of()).build();
    }

    @Test
    void aFullQueueDropsNewEventsForThatSubscriptionOnlyAndCountsThem() throws InterruptedException {
        try (InMemoryEventBus small = new InMemoryEventBus(2)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch firstTaken = new CountDownLatch(1);
            AtomicInteger slowReceived = new AtomicInteger();
            AtomicInteger fastReceived = new AtomicInteger();
            small.subscribe("clock", SubscriptionFilter.all(), (n, e) -> {
                firstTaken.countDown();
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                slowReceived.incrementAndGet();
            });
            small.publish("clock", tick(1));
            assertThat(firstTaken.await(10, TimeUnit.SECONDS)).isTrue();
            small.subscribe("clock", SubscriptionFilter.all(), (n, e) -> fastReceived.incrementAndGet());

            // One at a time, so the fast subscription never holds more than one queued event.
            for (int i = 2; i <= 6; i++) {
                int expected = i - 1;
                small.publish("clock", tick(i));
                await().atMost(Duration.ofSeconds(10)).until(() -> fastReceived.get() == expected);
            }
            release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> slowReceived.get() == 3);
            assertThat(small.droppedEvents()).isEqualTo(3);
            assertThat(fastReceived.get()).isEqualTo(5);
        }
    }

    @Test
    void countsHandlerFailures() {
        try (InMemoryEventBus counting = new InMemoryEventBus()) {
            counting.subscribe("clock", SubscriptionFilter.all(), (n, e) -> {
                throw new IllegalStateException("on purpose");
            });
            counting.publish("clock", tick(1));
            counting.publish("clock", tick(2));
            await().atMost(Duration.ofSeconds(10)).until(() -> counting.handlerFailures() == 2);
        }
    }

    @Test
    void refusesAQueueCapacityBelowOne() {
        assertThatThrownBy(() -> new InMemoryEventBus(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity");
    }

    @Test
    void closingTheBusEndsEveryDeliveryThread() {
        InMemoryEventBus closing = new InMemoryEventBus();
        for (int i = 0; i < 5; i++) {
            closing.subscribe("clock", SubscriptionFilter.all(), (n, e) -> { });
        }
        closing.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("aether-bus-clock-") && t.isAlive()));
    }
}
