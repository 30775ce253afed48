package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.SubscriptionFilter;
import dev.aether.test.EventBusContract;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link NatsEventBus} keeps the bus contract on a real nats-server, across connections too. */
class NatsEventBusTest extends EventBusContract {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Override
    protected EventBus createBus() {
        return new NatsEventBus(NATS.connect());
    }

    private static Event event(String type, String actor, long version) {
        return Event.builder().eventType(type).actorId(actor).version(version).data(Map.of("n", version)).build();
    }

    @Test
    void anEventPublishedOnOneConnectionReachesASubscriptionOnAnother() {
        String ns = uniqueNamespace() + ".orders";
        List<String> received = new CopyOnWriteArrayList<>();
        try (NatsEventBus publisher = new NatsEventBus(NATS.connect());
             NatsEventBus subscriber = new NatsEventBus(NATS.connect())) {
            subscriber.subscribe(ns.substring(0, ns.indexOf('.')) + ".*", SubscriptionFilter.all(),
                    (n, e) -> received.add(n + "/" + e.actorId() + "/" + e.version() + "/" + e.data().get("n")));
            publisher.publish(ns, event("OrderPlaced", "order-1", 1));
            publisher.publish(ns, event("OrderPlaced", "order-1", 2));

            await().atMost(TIMEOUT).until(() -> received.size() == 2);
            assertThat(received).containsExactly(ns + "/order-1/1/1", ns + "/order-1/2/2");
        }
    }

    @Test
    void anEventPublishedInAnotherJvmReachesASubscriptionHere() throws Exception {
        String ns = uniqueNamespace();
        List<Long> received = new CopyOnWriteArrayList<>();
        bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(e.version()));

        Process publisher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrossProcessBusPublisher.class.getName(),
                NATS.url(), ns, "order-1", "10")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertThat(publisher.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(publisher.exitValue()).isZero();
            await().atMost(TIMEOUT).until(() -> received.size() == 10);
            assertThat(received).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        } finally {
            publisher.destroyForcibly();
        }
    }

    @Test
    void deliversItsOwnEventsToItsOwnSubscribersExactlyOnce() {
        String ns = uniqueNamespace();
        List<Event> received = new CopyOnWriteArrayList<>();
        bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(e));
        Event first = event("First", "a", 1);
        Event marker = event("Marker", "a", 2);
        bus.publish(ns, first);
        // a second bus on another connection sees the same events; its delivery of the marker
        // proves the server has passed both on, so a duplicate on the first bus would have arrived
        List<Event> other = new CopyOnWriteArrayList<>();
        try (NatsEventBus observer = new NatsEventBus(NATS.connect())) {
            observer.subscribe(ns, SubscriptionFilter.all(), (n, e) -> other.add(e));
            bus.publish(ns, marker);
            await().atMost(TIMEOUT).until(() -> other.contains(marker) && received.contains(marker));
        }
        assertThat(received).containsExactly(first, marker);
    }

    @Test
    void busSubjectsAreNotStoredByAStreamOnTheEventSubjects() throws Exception {
        Connection connection = NATS.connect();
        JetStreamManagement jsm = connection.jetStreamManagement();
        String ns = uniqueNamespace();
        // a stream over every subject of the default store prefix must not capture bus traffic
        jsm.addStream(StreamConfiguration.builder().name("BUS_PROBE").subjects(SubjectCodec.DEFAULT_PREFIX + ".>")
                .build());
        try (NatsEventBus probe = new NatsEventBus(connection)) {
            List<Event> received = new CopyOnWriteArrayList<>();
            probe.subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(e));
            probe.publish(ns, event("T", "a", 1));
            await().atMost(TIMEOUT).until(() -> received.size() == 1);
            assertThat(jsm.getStreamInfo("BUS_PROBE").getStreamState().getMsgCount()).isZero();
        } finally {
            jsm.deleteStream("BUS_PROBE");
        }
    }

    @Test
    void ignoresAMalformedMessageOnABusSubjectAndKeepsDelivering() {
        String ns = uniqueNamespace();
        List<Event> received = new CopyOnWriteArrayList<>();
        bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(e));
        // one connection keeps the order: the good event arrives after both malformed ones
        Connection raw = NATS.connect();
        String subject = SubjectCodec.DEFAULT_PREFIX + NatsEventBus.SUBJECT_SUFFIX + "." + ns;
        raw.publish(subject, "{not json".getBytes(StandardCharsets.UTF_8));
        raw.publish(subject, "{}".getBytes(StandardCharsets.UTF_8));
        Event after = event("After", "a", 1);
        raw.publish(subject, new EventCodec().encode(after));
        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        assertThat(received).containsExactly(after);
    }

    /**
     * A subscription whose handler is stuck falls behind jnats's pending limits (64 MB by default):
     * jnats drops what does not fit, and the bus counts it instead of losing it silently.
     */
    @Test
    void countsTheEventsDroppedForASubscriptionThatFallsBehind() {
        String ns = uniqueNamespace();
        CountDownLatch release = new CountDownLatch(1);
        Connection connection = NATS.connect();
        try (NatsEventBus bus = new NatsEventBus(connection)) {
            bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
                try {
                    release.await();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
            Event large = Event.builder().eventType("Large").actorId("a").version(1)
                    .data(Map.of("blob", "x".repeat(60_000))).build();
            assertThat(bus.droppedEvents()).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int i = 0; i < 200; i++) {
                    bus.publish(ns, large);
                }
                connection.flush(TIMEOUT);
                return bus.droppedEvents() > 0;
            });
            release.countDown();
        }
    }

    @Test
    void refusesAConnectionWithoutEcho() throws Exception {
        try (Connection noEcho = Nats.connect(Options.builder().server(NATS.url()).noEcho().build())) {
            assertThatThrownBy(() -> new NatsEventBus(noEcho)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("noEcho");
        }
    }

    @Test
    void refusesAMalformedStreamPrefix() {
        assertThatThrownBy(() -> new NatsEventBus(NATS.connect(), "AETHER.bus"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("streamPrefix");
    }
}
