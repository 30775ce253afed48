package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.spring.AetherSubscriber;
import dev.aether.test.nats.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two application contexts, as two processes, sharing one nats-server through the JetStream store. */
class AetherSubscriberAcrossContextsTests {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ApplicationContextRunner runner(String namespace) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class))
                .withPropertyValues("aether.store.type=jetstream", "aether.nats.servers=" + NATS.url(),
                        "aether.namespace=" + namespace, "aether.nats.drain-timeout=2s");
    }

    @Test
    void anEventSavedInOneContextReachesSubscribersInBoth() {
        ApplicationContextRunner runner = runner("everyone").withBean(EveryProcess.class);
        runner.run(first -> runner.run(second -> {
            first.getBean(EventStore.class).saveEvent(event("order-1", 1));
            first.getBean(EventStore.class).saveEvent(event("order-1", 2));
            EveryProcess inFirst = first.getBean(EveryProcess.class);
            EveryProcess inSecond = second.getBean(EveryProcess.class);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(inSecond.events).extracting(Event::version).containsExactly(1L, 2L);
                assertThat(inFirst.events).extracting(Event::version).containsExactly(1L, 2L);
            });
            assertThat(inSecond.namespaces).containsOnly("everyone");
        }));
    }

    @Test
    void contextsSharingADurableNameShareTheEvents() {
        ApplicationContextRunner runner = runner("shared").withBean(SharedWork.class);
        runner.run(first -> runner.run(second -> {
            EventStore store = second.getBean(EventStore.class);
            for (int i = 1; i <= 20; i++) {
                store.saveEvent(event("actor-" + (i % 4), i));
            }
            SharedWork inFirst = first.getBean(SharedWork.class);
            SharedWork inSecond = second.getBean(SharedWork.class);
            await().atMost(WAIT).untilAsserted(() -> {
                Set<String> ids = new HashSet<>();
                inFirst.events.forEach(e -> ids.add(e.id()));
                inSecond.events.forEach(e -> ids.add(e.id()));
                assertThat(ids).hasSize(20);
            });
            assertThat(inFirst.events.size() + inSecond.events.size()).isEqualTo(20);
        }));
    }

    static class EveryProcess {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<String> namespaces = new CopyOnWriteArrayList<>();

        @AetherSubscriber
        void on(String namespace, Event event) {
            namespaces.add(namespace);
            events.add(event);
        }
    }

    static class SharedWork {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @AetherSubscriber(namespace = "${aether.namespace}", durable = "shared-work")
        void on(Event event) {
            events.add(event);
        }
    }
}
