package dev.aether.jetstream;

import static dev.aether.jetstream.JetStreamEventStoreTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aether.DuplicateEventIdException;
import dev.aether.Event;
import dev.aether.VersionConflictException;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.time.ZonedDateTime;
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

/**
 * How the JetStream store saves: a batch as one message within the size limit, re-saves the server
 * cannot dedupe, and pipelined saves checked against other processes' writes and bounded.
 */
class JetStreamSaveTest {

    private static final int MAX_PAYLOAD = 32 * 1024;

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension().withMaxPayload(MAX_PAYLOAD);

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

    @Test
    void storesABatchAsOneMessageOnTheActorsSubject() throws Exception {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("wire")).build();
        List<Event> batch = List.of(event("order 1", 3), event("order 1", 4), event("order 1", 6));
        store.saveEvents(batch);

        JetStreamManagement jsm = connection.jetStreamManagement();
        MessageInfo stored = jsm.getLastMessage(store.streamName(), "AETHER." + store.namespace() + ".order_201");
        Headers headers = stored.getHeaders();
        assertThat(headers.getFirst("Aether-Version")).isEqualTo("6");
        assertThat(headers.getFirst("Aether-First-Version")).isEqualTo("3");
        assertThat(headers.getFirst("Aether-Event-Count")).isEqualTo("3");
        assertThat(headers.getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(headers.getFirst("Nats-Msg-Id")).isEqualTo("order_201:3");
        assertThat(headers.containsKey("Aether-Event-Id")).isFalse();
        JsonNode body = new ObjectMapper().readTree(stored.getData());
        assertThat(body.isArray()).isTrue();
        assertThat(body).extracting(node -> node.get("version").asLong()).containsExactly(3L, 4L, 6L);
        assertThat(new EventCodec().decodeMessage(stored.getData())).isEqualTo(batch);
        assertThat(jsm.getStreamInfo(store.streamName()).getStreamState().getMsgCount()).isEqualTo(1);
    }

    @Test
    void refusesABatchAboveTheServersMaxPayloadWholeBeforePublishing() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("big")).build();
        List<Event> batch = new ArrayList<>();
        for (long v = 1; v <= 8; v++) {
            batch.add(Event.builder().eventType("Big").actorId("big").version(v)
                    .data(Map.of("blob", "x".repeat(MAX_PAYLOAD / 6))).build());
        }

        assertThatThrownBy(() -> store.saveEvents(batch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch of 8 events").hasMessageContaining("max_payload of " + MAX_PAYLOAD)
                .hasMessageMatching("(?s).* is \\d+ bytes .*").hasMessageContaining("nothing was written");
        assertThat(store.getLatestVersion("big")).isZero();
        // Each event fits alone, and the connection survived: nothing oversize reached the server.
        store.saveEvents(batch.subList(0, 2));
        assertThat(store.getEvents("big", 0)).isEqualTo(batch.subList(0, 2));
    }

    /**
     * The server forgets message ids after its duplicate window; a re-save from another instance
     * must still succeed, found by reading the stored batch, and store nothing.
     */
    @Test
    void reSavingABatchAfterTheDuplicateWindowFromAnotherInstanceSucceeds() throws Exception {
        String namespace = uniqueNamespace("late");
        Duration window = Duration.ofSeconds(1);
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace)
                .duplicateWindow(window).requestTimeout(Duration.ofMillis(300)).build();
        List<Event> batch = List.of(event("late", 1), event("late", 2));
        store.saveEvents(batch);
        store.saveEvent(event("late", 3));
        JetStreamManagement jsm = connection.jetStreamManagement();
        ZonedDateTime storedAt = jsm.getMessage(store.streamName(), 1).getTime();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ZonedDateTime.now().isAfter(storedAt.plus(window.plusMillis(200))));

        JetStreamEventStore other = JetStreamEventStore.builder(otherConnection).namespace(namespace)
                .duplicateWindow(window).requestTimeout(Duration.ofMillis(300)).build();
        other.saveEvents(batch);
        other.saveEvent(batch.get(1));

        assertThat(jsm.getStreamInfo(store.streamName()).getStreamState().getMsgCount()).isEqualTo(2);
        assertThat(other.getEvents("late", 0)).extracting(Event::version).containsExactly(1L, 2L, 3L);
    }

    /**
     * A message written by another client with lower-case percent escapes in its id header holds the
     * same event: a re-save of it succeeds, and the same id at a new version is a duplicate.
     */
    @Test
    void decidesIdentityOnDecodedIdsNotOnHeaderBytes() throws Exception {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("foreign")).build();
        Event event = Event.builder().id("üml-1").eventType("Foreign").actorId("foreign").version(1)
                .data(Map.of("n", 1)).build();
        Headers headers = new Headers().put("Aether-Event-Id", "%c3%bcml-1").put("Aether-Event-Type", "Foreign")
                .put("Aether-Version", "1").put("Content-Type", "application/json")
                .put("Nats-Msg-Id", "foreign:1").put("Nats-Expected-Last-Subject-Sequence", "0");
        connection.jetStream().publish(NatsMessage.builder()
                .subject(SubjectCodec.subject(SubjectCodec.DEFAULT_PREFIX, store.namespace(), SubjectLayout.FLAT, "foreign"))
                .headers(headers).data(new EventCodec().encode(event)).build());

        JetStreamEventStore other = JetStreamEventStore.builder(otherConnection).namespace(store.namespace()).build();
        other.saveEvent(event);
        store.saveEvents(List.of(event));
        assertThatThrownBy(() -> other.saveEvent(event.withVersion(2)))
                .isInstanceOfSatisfying(DuplicateEventIdException.class, e -> {
                    assertThat(e.eventId()).isEqualTo("üml-1");
                    assertThat(e.storedVersion()).isEqualTo(1);
                });
        assertThat(store.getEvents("foreign", 0)).containsExactly(event);
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
