package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.spring.AetherSubscriber;
import dev.aether.spring.AetherSubscriberRegistry;
import dev.aether.test.nats.NatsServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code durable}, {@code startFrom} and {@code partitions} of {@code @AetherSubscriber} mean the same on the in-memory store
 * and on JetStream (a private nats-server): each case runs on both.
 */
class AetherSubscriberStoreSemanticsTests {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private ApplicationContextRunner runner(String store) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class))
                .withPropertyValues("aether.store.type=" + store, "aether.nats.servers=" + NATS.url(),
                        "aether.nats.drain-timeout=2s",
                        // a stream of its own for each case, so that durable positions on the server start afresh
                        "aether.namespace=semantics-" + store + "-" + NAMESPACES.incrementAndGet());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "jetstream"})
    void aDurableSubscriberThatStopsResumesAfterItsLastHandledEventWithoutHandlingItAgain(String store) {
        runner(store).withBean(Durable.class).run(context -> {
            EventStore events = context.getBean(EventStore.class);
            AetherSubscriberRegistry registry = context.getBean(AetherSubscriberRegistry.class);
            Durable subscriber = context.getBean(Durable.class);
            events.saveEvent(event("order-1", 1));
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(subscriber.events).extracting(Event::version).containsExactly(1L));

            registry.stop();
            events.saveEvent(event("order-1", 2));
            registry.start();
            events.saveEvent(event("order-1", 3));

            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(subscriber.events).extracting(Event::version).containsExactly(1L, 2L, 3L));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "jetstream"})
    void aBeginningSubscriberReceivesEarlierEventsAndADefaultOneOnlyNewOnes(String store) {
        runner(store).withBean(EarlySaver.class).withBean(FromTheBeginning.class).withBean(NewEventsOnly.class)
                .run(context -> {
                    assertThat(context.getBean(EarlySaver.class).saved).isTrue();
                    context.getBean(EventStore.class).saveEvent(event("after-1", 1));

                    await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(FromTheBeginning.class).events)
                            .extracting(Event::actorId).containsExactly("before-1", "before-2", "after-1"));
                    await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(NewEventsOnly.class).events)
                            .extracting(Event::actorId).containsExactly("after-1"));
                });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "jetstream"})
    void aPartitionedSubscriberReceivesEveryActorsEventsInOrder(String store) {
        runner(store).withPropertyValues("app.partitions=4").withBean(Partitioned.class).run(context -> {
            EventStore events = context.getBean(EventStore.class);
            for (long v = 1; v <= 3; v++) {
                for (String actor : List.of("a", "b", "c", "d", "e")) {
                    events.saveEvent(event(actor, v));
                }
            }

            await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(Partitioned.class).events).hasSize(15));
            for (String actor : List.of("a", "b", "c", "d", "e")) {
                assertThat(context.getBean(Partitioned.class).events).filteredOn(e -> e.actorId().equals(actor))
                        .extracting(Event::version).containsExactly(1L, 2L, 3L);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "jetstream"})
    void partitionsWithoutADurableNameFailStartup(String store) {
        runner(store).withBean(PartitionedWithoutDurable.class).run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("partitions (4) above 1 need a durableName"));
    }

    /** Saves two events while the context is being built, before any subscription starts. */
    static class EarlySaver {
        final boolean saved;

        EarlySaver(EventStore store) {
            store.saveEvent(event("before-1", 1));
            store.saveEvent(event("before-2", 1));
            saved = true;
        }
    }

    static class Durable {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @AetherSubscriber(id = "durable", durable = "resuming")
        void on(Event event) {
            events.add(event);
        }
    }

    static class Partitioned {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @AetherSubscriber(id = "partitioned", durable = "split", partitions = "${app.partitions}",
                startFrom = AetherSubscriber.StartFrom.BEGINNING)
        void on(Event event) {
            events.add(event);
        }
    }

    static class PartitionedWithoutDurable {
        @AetherSubscriber(id = "no-durable", partitions = "4")
        void on(Event event) {
        }
    }

    static class FromTheBeginning {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @AetherSubscriber(id = "beginning", startFrom = AetherSubscriber.StartFrom.BEGINNING)
        void on(Event event) {
            events.add(event);
        }
    }

    static class NewEventsOnly {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @AetherSubscriber(id = "new-events")
        void on(Event event) {
            events.add(event);
        }
    }
}
