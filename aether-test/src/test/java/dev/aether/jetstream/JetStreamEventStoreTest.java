package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aether.ActorId;
import dev.aether.AetherException;
import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.StoreUnavailableException;
import dev.aether.VersionConflictException;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only the JetStream store promises: layout, wire format, races between connections, limits. */
class JetStreamEventStoreTest {

    private static final int MAX_PAYLOAD = 64 * 1024;

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension().withMaxPayload(MAX_PAYLOAD);

    private static Connection connection;

    @BeforeAll
    static void connect() {
        connection = NATS.connect();
    }

    private static String uniqueNamespace(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Event event(String actorId, long version) {
        return Event.builder().eventType("TestEvent").actorId(actorId).version(version).data(Map.of("n", version))
                .build();
    }

    @Test
    void aMessageThatIsNotAnAetherEventOnAnActorsSubjectIsReportedAsSuch() throws Exception {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("garbage")).build();
        connection.jetStream().publish(SubjectCodec.subject(SubjectCodec.DEFAULT_PREFIX, store.namespace(), SubjectLayout.FLAT, "intruded"),
                "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.getLatestVersion("intruded")).isInstanceOf(AetherException.class)
                .hasMessageContaining("is not an Aether event").hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.getEvents("intruded", 0)).isInstanceOf(AetherException.class)
                .hasMessageContaining("is not an Aether event");
        assertThatThrownBy(() -> store.saveEvent(event("intruded", 1))).isInstanceOf(AetherException.class)
                .hasMessageContaining("is not an Aether event");
    }

    @Test
    void actorIdsThatLookLikeSubjectsOrWildcardsNeverSeeEachOther() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("inject")).build();
        String longA = "a".repeat(ActorId.MAX_LENGTH);
        String longB = "a".repeat(ActorId.MAX_LENGTH - 1) + "b";
        List<String> actors = List.of("a", "a.>", ">", "*", "a.*", "a b", "$JS.API.>", "$JS.API.STREAM.DELETE.x",
                "注文-ü-😀", "_2E", ".", "a_2Eb", "a.b", longA, longB, "é".repeat(ActorId.MAX_LENGTH));
        for (int i = 0; i < actors.size(); i++) {
            for (long v = 1; v <= i + 1; v++) {
                store.saveEvent(event(actors.get(i), v));
            }
        }
        for (int i = 0; i < actors.size(); i++) {
            String actor = actors.get(i);
            assertThat(store.getLatestVersion(actor)).as(actor).isEqualTo(i + 1);
            assertThat(store.getEvents(actor, 0)).as(actor).hasSize(i + 1)
                    .allSatisfy(e -> assertThat(e.actorId()).isEqualTo(actor));
            assertThat(SubjectCodec.actorToken(actor)).as(actor).matches("[A-Za-z0-9_-]{1,256}");
        }
        assertThat(actors.stream().map(SubjectCodec::actorToken).collect(Collectors.toSet())).hasSize(actors.size());
    }

    @Test
    void namespacesThatDifferOnlyInDotsAndUnderscoresHaveSeparateStreams() {
        String base = uniqueNamespace("ns");
        List<String> namespaces = List.of(base + ".b", base + "_b", base, base + ".b.c", base + "_2Eb");
        List<JetStreamEventStore> stores = namespaces.stream()
                .map(ns -> JetStreamEventStore.builder(connection).namespace(ns).build()).toList();
        for (int i = 0; i < stores.size(); i++) {
            stores.get(i).saveEvent(Event.builder().eventType("InNamespace").actorId("shared-actor").version(i + 1)
                    .data(Map.of("namespace", namespaces.get(i))).build());
        }
        assertThat(stores.stream().map(JetStreamEventStore::streamName).collect(Collectors.toSet()))
                .hasSize(namespaces.size());
        for (int i = 0; i < stores.size(); i++) {
            String namespace = namespaces.get(i);
            assertThat(stores.get(i).getEvents("shared-actor", 0)).as(namespace).singleElement()
                    .satisfies(e -> assertThat(e.data()).containsEntry("namespace", namespace));
        }
    }

    @Test
    void writesTheDocumentedWireFormat() throws Exception {
        String namespace = uniqueNamespace("wire");
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace).build();
        Event event = Event.builder().id("évent-1").eventType("OrderPlaced").actorId("order 1").version(7)
                .data(Map.of("total", 42)).correlationId("c-1").build();
        store.saveEvent(event);

        JetStreamManagement jsm = connection.jetStreamManagement();
        MessageInfo stored = jsm.getLastMessage(store.streamName(), "AETHER." + namespace + ".order_201");
        assertThat(stored.getHeaders().getFirst("Aether-Version")).isEqualTo("7");
        assertThat(stored.getHeaders().getFirst("Aether-Event-Type")).isEqualTo("OrderPlaced");
        assertThat(stored.getHeaders().getFirst("Aether-Event-Id")).isEqualTo("%C3%A9vent-1");
        assertThat(stored.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("order_201:7");
        assertThat(stored.getHeaders().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(new EventCodec().decode(stored.getData())).isEqualTo(event);
        assertThat(jsm.getStreamInfo(store.streamName()).getConfiguration().getSubjects())
                .containsExactly("AETHER." + namespace + ".*");
    }

    /**
     * Two connections (as two processes would) save every version of one actor at the same moment:
     * exactly one of them wins each version, and the stream reads back without gaps.
     */
    @Test
    void exactlyOneOfTwoConnectionsWinsEachVersion() throws Exception {
        String namespace = uniqueNamespace("race");
        Connection other = NATS.connect();
        JetStreamEventStore first = JetStreamEventStore.builder(connection).namespace(namespace).build();
        JetStreamEventStore second = JetStreamEventStore.builder(other).namespace(namespace).build();
        String actor = "contended";
        int versions = 100;
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<Event>> firstWins = pool.submit(writer(first, actor, versions, barrier));
            Future<List<Event>> secondWins = pool.submit(writer(second, actor, versions, barrier));
            List<Event> wins = new ArrayList<>(firstWins.get(2, TimeUnit.MINUTES));
            wins.addAll(secondWins.get(2, TimeUnit.MINUTES));

            assertThat(wins).extracting(Event::version).containsExactlyInAnyOrderElementsOf(range(versions));
            List<Event> stored = first.getEvents(actor, 0);
            assertThat(stored).extracting(Event::version).containsExactlyElementsOf(range(versions));
            assertThat(stored).containsExactlyInAnyOrderElementsOf(wins);
            assertThat(second.getEvents(actor, 0)).isEqualTo(stored);
        } finally {
            pool.shutdownNow();
        }
    }

    static Callable<List<Event>> writer(JetStreamEventStore store, String actor, int versions,
                                                CyclicBarrier barrier) {
        return () -> {
            List<Event> wins = new ArrayList<>();
            for (long v = 1; v <= versions; v++) {
                Event event = event(actor, v);
                barrier.await(30, TimeUnit.SECONDS);
                try {
                    store.saveEvent(event);
                    wins.add(event);
                } catch (VersionConflictException e) {
                    assertThat(e.currentVersion()).isGreaterThanOrEqualTo(v);
                }
            }
            return wins;
        };
    }

    @Test
    void aStaleWriterCannotOverwriteAVersionAnotherConnectionStored() {
        String namespace = uniqueNamespace("stale");
        JetStreamEventStore first = JetStreamEventStore.builder(connection).namespace(namespace).build();
        JetStreamEventStore second = JetStreamEventStore.builder(NATS.connect()).namespace(namespace).build();
        first.saveEvent(event("acct", 1));
        assertThat(second.getLatestVersion("acct")).isEqualTo(1);
        first.saveEvent(event("acct", 2));

        // second's cache still says version 1: the server must refuse its version 2.
        Event late = event("acct", 2);
        assertThatThrownBy(() -> second.saveEvent(late)).isInstanceOfSatisfying(VersionConflictException.class,
                e -> assertThat(e.currentVersion()).isEqualTo(2));
        second.saveEvent(event("acct", 3));
        assertThat(first.getEvents("acct", 0)).extracting(Event::version).containsExactly(1L, 2L, 3L);
    }

    /**
     * An interrupt during a save ends it at once with an outcome-unknown failure (the publish may have
     * been sent), and the thread stays interrupted.
     */
    @Test
    void anInterruptedSaveStopsKeepsTheInterruptAndSaysTheOutcomeIsUnknown() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("interrupt"))
                .build();
        store.saveEvent(event("busy", 1));
        Thread.currentThread().interrupt();
        try {
            // The actor's last event is cached, so the interrupted request is the publish itself.
            assertThatThrownBy(() -> store.saveEvent(event("busy", 2)))
                    .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isTrue())
                    .hasMessageContaining("Interrupted")
                    .hasRootCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(store.getLatestVersion("busy")).isBetween(1L, 2L);
    }

    @Test
    void readsFromTheMiddleOfAnActorInterleavedWithOthers() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("mid")).build();
        for (long v = 1; v <= 60; v++) {
            store.saveEvent(event("a", v * 2));
            if (v % 3 == 0) {
                store.saveEvent(event("b", v));
            }
        }
        assertThat(store.getEvents("a", 41)).extracting(Event::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(21, 60).map(v -> v * 2).boxed().toList());
        assertThat(store.getEvents("a", 120)).extracting(Event::version).containsExactly(120L);
        assertThat(store.getEvents("a", 121)).isEmpty();
        assertThat(store.getEvents("b", 7)).extracting(Event::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(9, 60).filter(v -> v % 3 == 0).boxed().toList());
    }

    @Test
    void readsALongActorThroughAnOrderedConsumerThatIsGoneAfterwards() throws Exception {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("long"))
                .readCacheEvents(0).build();
        int count = ActorReader.WALK_MIN + ActorReader.LONG_READ * 3;
        for (long v = 1; v <= count; v++) {
            store.saveEvent(event("long", v));
            if (v % 10 == 0) {
                store.saveEvent(event("other", v / 10));
            }
        }
        assertThat(store.getEvents("long", 0)).extracting(Event::version)
                .containsExactlyElementsOf(range(count));
        assertThat(store.getEvents("long", 51)).extracting(Event::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(51, count).boxed().toList());
        assertThat(store.getEvents("long", count - 5)).hasSize(6);
        assertThat(connection.jetStreamManagement().getConsumerNames(store.streamName())).isEmpty();
    }

    @Test
    void refusesAnEventAboveTheServersMaxPayloadBeforePublishing() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("big")).build();
        Event huge = Event.builder().eventType("Big").actorId("big").version(1)
                .data(Map.of("blob", "x".repeat(MAX_PAYLOAD))).build();

        assertThatThrownBy(() -> store.saveEvent(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max_payload of " + MAX_PAYLOAD).hasMessageContaining("bytes");
        assertThat(store.getLatestVersion("big")).isZero();
    }

    @Test
    void refusesASnapshotAboveTheServersMaxPayloadBeforeWriting() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("bigsnap")).build();
        ActorSnapshot huge = new ActorSnapshot("big", 1, Map.of("blob", "z".repeat(MAX_PAYLOAD - 60)));

        assertThatThrownBy(() -> store.saveSnapshot(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max_payload of " + MAX_PAYLOAD);
        assertThat(store.getLatestSnapshot("big")).isEmpty();
    }

    @Test
    void countsHeadersTowardsTheMaxPayload() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("edge")).build();
        EventCodec codec = new EventCodec();
        Event probe = Event.builder().eventType("Edge").actorId("edge").version(1).data(Map.of("blob", "")).build();
        int padding = MAX_PAYLOAD - codec.encode(probe).length - 10;
        Event bodyFitsButNotWithHeaders = probe.toBuilder().data(Map.of("blob", "y".repeat(padding))).build();
        assertThat(codec.encode(bodyFitsButNotWithHeaders).length).isLessThan(MAX_PAYLOAD);

        assertThatThrownBy(() -> store.saveEvent(bodyFitsButNotWithHeaders))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headers");
        // The connection survived: nothing oversize reached the server.
        store.saveEvent(event("edge", 1));
        assertThat(store.getLatestVersion("edge")).isEqualTo(1);
    }

    @Test
    void anExistingStreamWithOtherSettingsIsRefusedNamingTheSetting() {
        String namespace = uniqueNamespace("cfg");
        JetStreamEventStore.builder(connection).namespace(namespace).build();

        assertThatThrownBy(() -> JetStreamEventStore.builder(connection).namespace(namespace)
                .maxAge(Duration.ofHours(1)).build())
                .isInstanceOf(IncompatibleStreamException.class).hasMessageContaining("max_age");
        assertThatThrownBy(() -> JetStreamEventStore.builder(connection).namespace(namespace)
                .storageType(StorageType.Memory).build())
                .isInstanceOf(IncompatibleStreamException.class).hasMessageContaining("storage");
    }

    @Test
    void manyBuildersOfOneNewNamespaceAllSucceed() throws Exception {
        String namespace = uniqueNamespace("concurrent-build");
        int builders = 8;
        CyclicBarrier barrier = new CyclicBarrier(builders);
        ExecutorService pool = Executors.newFixedThreadPool(builders);
        try {
            List<Future<JetStreamEventStore>> futures = new ArrayList<>();
            for (int i = 0; i < builders; i++) {
                Connection own = NATS.connect();
                futures.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return JetStreamEventStore.builder(own).namespace(namespace).build();
                }));
            }
            List<JetStreamEventStore> stores = new ArrayList<>();
            for (Future<JetStreamEventStore> future : futures) {
                stores.add(future.get(1, TimeUnit.MINUTES));
            }
            stores.get(0).saveEvent(event("x", 1));
            assertThat(stores).allSatisfy(s -> assertThat(s.getLatestVersion("x")).isEqualTo(1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentSnapshotSaversNeverLeaveALowerVersion() throws Exception {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("snap")).build();
        JetStreamEventStore other = JetStreamEventStore.builder(NATS.connect()).namespace(store.namespace()).build();
        int savers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(savers);
        List<Long> versions = new ArrayList<>(LongStream.rangeClosed(1, 80).boxed().toList());
        Collections.shuffle(versions);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < savers; i++) {
                JetStreamEventStore target = i % 2 == 0 ? store : other;
                List<Long> share = versions.subList(i * 20, (i + 1) * 20);
                futures.add(pool.submit(() -> share.forEach(v ->
                        target.saveSnapshot(new ActorSnapshot("snap", v, Map.of("v", v))))));
            }
            for (Future<?> future : futures) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.getLatestSnapshot("snap")).get().satisfies(s -> {
            assertThat(s.version()).isEqualTo(80);
            assertThat(s.state()).containsEntry("v", 80);
        });
    }

    @Test
    void builderRefusesBadSettingsNamingThem() {
        JetStreamEventStore.Builder builder = JetStreamEventStore.builder(connection);
        assertThatThrownBy(() -> builder.namespace("a.>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> builder.replicas(0)).hasMessageContaining("replicas");
        assertThatThrownBy(() -> builder.streamPrefix("A_B")).hasMessageContaining("streamPrefix");
        assertThatThrownBy(() -> builder.maxBytes(0)).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> builder.duplicateWindow(Duration.ZERO)).hasMessageContaining("duplicateWindow");
        assertThatThrownBy(() -> JetStreamEventStore.builder(connection).maxAge(Duration.ofSeconds(30)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicateWindow")
                .hasMessageContaining("maxAge");
        assertThatThrownBy(() -> JetStreamEventStore.builder(connection).duplicateWindow(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(2)).publishAttempts(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publishAttempts * requestTimeout");
    }

    @Test
    void aCustomPrefixKeepsStoresOfTheSameNamespaceApart() {
        String namespace = uniqueNamespace("prefix");
        JetStreamEventStore plain = JetStreamEventStore.builder(connection).namespace(namespace).build();
        JetStreamEventStore custom = JetStreamEventStore.builder(connection).namespace(namespace)
                .streamPrefix("APP-2").build();
        plain.saveEvent(event("a", 1));
        assertThat(custom.getLatestVersion("a")).isZero();
        assertThat(custom.streamName()).startsWith("APP-2_");
    }

    private static List<Long> range(long toInclusive) {
        return LongStream.rangeClosed(1, toInclusive).boxed().toList();
    }
}
