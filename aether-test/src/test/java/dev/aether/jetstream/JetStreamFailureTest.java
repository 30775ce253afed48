package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aether.Event;
import dev.aether.StoreUnavailableException;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JetStream store when its server dies, stops and comes back. */
class JetStreamFailureTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static JetStreamEventStore store(Connection connection, String namespace) {
        return JetStreamEventStore.builder(connection).namespace(namespace)
                .requestTimeout(Duration.ofMillis(500)).publishAttempts(3).build();
    }

    private static String uniqueNamespace(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A writer saves events while the server is killed with SIGKILL and restarted on the same file
     * store. Every acknowledged event reads back exactly once, versions stay gap-free, and the same
     * store object keeps working after the restart.
     */
    @Test
    void everyAcknowledgedEventSurvivesAKillAndTheStoreKeepsWorking() throws Exception {
        JetStreamEventStore store = store(NATS.connect(), uniqueNamespace("kill"));
        String actor = "survivor";
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                long next = 1;
                while (running.get()) {
                    Event event = Event.builder().eventType("Tick").actorId(actor).version(next)
                            .data(Map.of("n", next)).build();
                    try {
                        store.saveEvent(event);
                        acknowledged.add(event.id());
                        next++;
                    } catch (StoreUnavailableException e) {
                        next = latestOrRetry(store, actor, running) + 1;
                    }
                }
                return null;
            });

            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 100);
            NATS.kill();
            NATS.start();
            int beforeRestart = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= beforeRestart + 100);
            running.set(false);
            writer.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }

        List<Event> stored = store.getEvents(actor, 0);
        assertThat(stored).extracting(Event::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, stored.size()).boxed().toList());
        List<String> storedIds = stored.stream().map(Event::id).toList();
        assertThat(storedIds).doesNotHaveDuplicates().containsAll(acknowledged);
        assertThat(stored.stream().map(Event::id).collect(Collectors.toSet())).hasSameSizeAs(storedIds);
    }

    /**
     * The server stores an event but its acknowledgement arrives only after the store stopped waiting:
     * the store retries with the same message id, recognises the stored event as its own and reports
     * success; the event is stored once.
     */
    @Test
    void aPublishWhoseAckWasLostIsRetriedAndReportedAsSuccessOnce() throws Exception {
        String namespace = uniqueNamespace("lost-ack");
        JetStreamEventStore observer = store(NATS.connect(), namespace);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (AckHoldingProxy proxy = new AckHoldingProxy(NATS.port())) {
            Connection proxied = Nats.connect(Options.builder().server("nats://127.0.0.1:" + proxy.port())
                    .errorListener(new ErrorListener() { }).build());
            JetStreamEventStore store = JetStreamEventStore.builder(proxied).namespace(namespace)
                    .requestTimeout(Duration.ofMillis(300)).publishAttempts(20).build();
            Event first = Event.builder().eventType("First").actorId("a").version(1).build();
            store.saveEvent(first);
            int publishesBefore = proxy.headerPublishes();

            proxy.hold();
            Event second = Event.builder().eventType("Second").actorId("a").version(2).build();
            Future<?> save = pool.submit(() -> store.saveEvent(second));
            await().atMost(Duration.ofSeconds(20)).until(() -> observer.getLatestVersion("a") == 2
                    && proxy.headerPublishes() >= publishesBefore + 2);
            proxy.release();

            save.get(30, TimeUnit.SECONDS);
            assertThat(observer.getEvents("a", 0)).extracting(Event::id).containsExactly(first.id(), second.id());
            proxied.close();
        } finally {
            pool.shutdownNow();
        }
    }

    private static long latestOrRetry(JetStreamEventStore store, String actor, AtomicBoolean running) {
        while (running.get()) {
            try {
                return store.getLatestVersion(actor);
            } catch (StoreUnavailableException e) {
                // The server is down; the read itself waited requestTimeout, so this is no busy loop.
            }
        }
        return 0;
    }

    @Test
    void aStoppedServerTurnsEveryOperationIntoStoreUnavailableWithTheCause() {
        JetStreamEventStore store = store(NATS.connect(), uniqueNamespace("down"));
        store.saveEvent(Event.builder().eventType("Before").actorId("a").version(1).build());
        NATS.stop();

        Event during = Event.builder().eventType("During").actorId("a").version(2).build();
        assertThatThrownBy(() -> store.saveEvent(during)).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> {
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertThat(e).hasCauseInstanceOf(IOException.class).hasMessageContaining("outcome unknown");
                });
        assertThatThrownBy(() -> store.getLatestVersion("a")).isInstanceOf(StoreUnavailableException.class)
                .cause().isNotNull();
        assertThatThrownBy(() -> store.getEvents("a", 0)).isInstanceOf(StoreUnavailableException.class)
                .cause().isNotNull();
        assertThatThrownBy(() -> store.getLatestSnapshot("a")).isInstanceOf(StoreUnavailableException.class)
                .cause().isNotNull();

        NATS.start();
        long latest = await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> store.getLatestVersion("a"), v -> v >= 1);
        // The unacknowledged save may or may not have landed (jnats resends buffered publishes): re-read decides.
        assertThat(latest).isBetween(1L, 2L);
        store.saveEvent(Event.builder().eventType("After").actorId("a").version(latest + 1).build());
        assertThat(store.getEvents("a", 0)).extracting(Event::eventType).first().isEqualTo("Before");
        assertThat(store.getLatestVersion("a")).isEqualTo(latest + 1);
    }

    @Test
    void buildingAStoreWhileTheServerIsDownFailsWithStoreUnavailable() {
        Connection connection = NATS.connect();
        NATS.stop();
        assertThatThrownBy(() -> store(connection, uniqueNamespace("offline")))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("offline").cause().isNotNull();
    }
}
