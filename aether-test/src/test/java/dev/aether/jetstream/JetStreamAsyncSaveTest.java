package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aether.Event;
import dev.aether.VersionConflictException;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JetStream store's pipelined saves: checked against other processes' writes, and bounded. */
class JetStreamAsyncSaveTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static Connection connection;
    private static Connection otherConnection;

    @BeforeAll
    static void connect() {
        connection = NATS.connect();
        otherConnection = NATS.connect();
    }

    private static String uniqueNamespace(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Event event(String actorId, long version) {
        return Event.builder().eventType("TestEvent").actorId(actorId).version(version).data(Map.of("n", version))
                .build();
    }

    /**
     * The store knows the actor at version 1; another process then stores version 2. An asynchronous
     * save of another event at 2 conflicts, a re-save of the other process's event succeeds, and 3 is
     * stored after the store has learnt the new tip.
     */
    @Test
    void anAsyncSaveBehindAnotherProcessesWriteIsCheckedAgainstWhatIsStored() {
        String namespace = uniqueNamespace("behind");
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace).build();
        JetStreamEventStore other = JetStreamEventStore.builder(otherConnection).namespace(namespace).build();
        store.saveEvent(event("a", 1));
        Event theirs = event("a", 2);
        other.saveEvent(theirs);

        CompletableFuture<Void> mine = store.saveEventAsync(event("a", 2));
        CompletableFuture<Void> resave = store.saveEventAsync(theirs);
        CompletableFuture<Void> next = store.saveEventsAsync(List.of(event("a", 3), event("a", 4)));

        assertThat(mine).failsWithin(Duration.ofMinutes(1)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.attemptedVersion()).isEqualTo(2);
                    assertThat(e.currentVersion()).isEqualTo(2);
                });
        assertThat(resave).succeedsWithin(Duration.ofMinutes(1));
        assertThat(next).succeedsWithin(Duration.ofMinutes(1));
        assertThat(other.getEvents("a", 0)).extracting(Event::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(other.getEvents("a", 2)).first().isEqualTo(theirs);
    }

    /** With room for three saves at a time, hundreds of saves over many actors all land, in order per actor. */
    @Test
    void aSmallBoundOnSavesInFlightHoldsCallersBackWithoutLosingSaves() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("bounded"))
                .maxSavesInFlight(3).build();
        assertThat(store.maxSavesInFlight()).isEqualTo(3);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (long v = 1; v <= 10; v++) {
            for (int actor = 0; actor < 30; actor++) {
                futures.add(store.saveEventAsync(event("actor-" + actor, v)));
            }
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(2, TimeUnit.MINUTES).join();

        for (int actor = 0; actor < 30; actor++) {
            assertThat(store.getEvents("actor-" + actor, 0)).extracting(Event::version)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        }
    }

    /**
     * The server stores an asynchronous save but its acknowledgement is held back until the
     * connection gives up on it: the synchronous save takes over, retries with the same message id,
     * recognises the stored event and completes the future; the event is stored once.
     */
    @Test
    void anAsyncSaveWhoseAckIsLostIsSettledByTheSynchronousSaveAndStoredOnce() throws Exception {
        String namespace = uniqueNamespace("lost-ack");
        JetStreamEventStore observer = JetStreamEventStore.builder(connection).namespace(namespace).build();
        try (AckHoldingProxy proxy = new AckHoldingProxy(NATS.port())) {
            Connection proxied = Nats.connect(Options.builder().server("nats://127.0.0.1:" + proxy.port())
                    .requestCleanupInterval(Duration.ofMillis(250)).errorListener(new ErrorListener() { }).build());
            JetStreamEventStore store = JetStreamEventStore.builder(proxied).namespace(namespace)
                    .requestTimeout(Duration.ofMillis(300)).publishAttempts(20).build();
            Event first = event("a", 1);
            store.saveEvent(first);
            int publishesBefore = proxy.headerPublishes();

            proxy.hold();
            Event second = event("a", 2);
            CompletableFuture<Void> save = store.saveEventAsync(second);
            await().atMost(Duration.ofSeconds(30)).until(() -> observer.getLatestVersion("a") == 2
                    && proxy.headerPublishes() >= publishesBefore + 2);
            proxy.release();

            assertThat(save).succeedsWithin(Duration.ofSeconds(30));
            assertThat(observer.getEvents("a", 0)).extracting(Event::id).containsExactly(first.id(), second.id());
            proxied.close();
        }
    }

    @Test
    void theBoundMustBePositiveAndDefaultsTo1024() {
        assertThatThrownBy(() -> JetStreamEventStore.builder(connection).maxSavesInFlight(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSavesInFlight");
        assertThat(JetStreamEventStore.builder(connection).namespace(uniqueNamespace("default")).build()
                .maxSavesInFlight()).isEqualTo(JetStreamEventStore.Builder.DEFAULT_MAX_SAVES_IN_FLIGHT).isEqualTo(1024);
    }
}
