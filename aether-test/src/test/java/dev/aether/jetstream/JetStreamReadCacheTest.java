package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aether.Event;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The read cache and the tail walk of {@link JetStreamEventStore}: what a store holding an actor in its
 * cache returns when the stream changed under it, the cache's bound, and reads along the
 * {@code Nats-Expected-Last-Subject-Sequence} chain when a message breaks it.
 */
class JetStreamReadCacheTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static Connection connection;

    @BeforeAll
    static void connect() {
        connection = NATS.connect();
    }

    private static String uniqueNamespace(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Event event(String actorId, long version) {
        return Event.builder().eventType("Cached").actorId(actorId).version(version).data(Map.of("v", version)).build();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void everyStoredMessageNamesTheSequenceOfTheActorsPreviousMessage() throws Exception {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("chain")).build();
        store.saveEvent(event("a", 1));
        store.saveEvent(event("b", 1));
        store.saveEvents(List.of(event("a", 2), event("a", 3)));
        store.saveEventAsync(event("a", 4)).get();

        JetStreamManagement jsm = connection.jetStreamManagement();
        List<String> chain = new ArrayList<>();
        for (long sequence = 1; sequence <= 4; sequence++) {
            chain.add(jsm.getMessage(store.streamName(), sequence).getHeaders()
                    .getFirst(NatsJetStreamConstants.EXPECTED_LAST_SUB_SEQ_HDR));
        }
        assertThat(chain).containsExactly("0", "0", "1", "3");
    }

    @ParameterizedTest(name = "the recreated stream holds {0} messages of the actor")
    @ValueSource(ints = {1, 3, 5})
    void aCachedActorIsReadFromTheServerAgainAfterTheStreamWasDeletedAndRecreated(int messages) throws Exception {
        String namespace = uniqueNamespace("recreated");
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace).build();
        for (long v = 1; v <= 3; v++) {
            store.saveEvent(event("actor", v));
        }
        assertThat(store.getEvents("actor", 0)).hasSize(3);

        connection.jetStreamManagement().deleteStream(store.streamName());
        JetStreamEventStore recreated = JetStreamEventStore.builder(connection).namespace(namespace).build();
        List<Event> now = new ArrayList<>();
        for (long v = 1; v <= messages; v++) {
            Event event = Event.builder().eventType("Recreated").actorId("actor").version(v * 10).build();
            recreated.saveEvent(event);
            now.add(event);
        }

        assertThat(store.getEvents("actor", 0)).isEqualTo(now);
        assertThat(store.getEvents("actor", 15)).isEqualTo(now.subList(1, now.size()));
        assertThat(store.getLatestVersion("actor")).isEqualTo(messages * 10L);
    }

    @Test
    void aCachedActorWhoseStreamWasDeletedHasNoEvents() throws Exception {
        String namespace = uniqueNamespace("emptied");
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace).build();
        store.saveEvent(event("actor", 1));
        assertThat(store.getEvents("actor", 0)).hasSize(1);

        connection.jetStreamManagement().deleteStream(store.streamName());
        JetStreamEventStore.builder(connection).namespace(namespace).build();

        assertThat(store.getEvents("actor", 0)).isEmpty();
        assertThat(store.cachedEvents()).isZero();
    }

    @Test
    void theCacheHoldsNoMoreEventsThanItsBoundAndDropsTheLeastRecentlyUsedActor() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("bound"))
                .readCacheEvents(10).build();
        for (String actor : List.of("a", "b", "c")) {
            store.saveEvents(List.of(event(actor, 1), event(actor, 2), event(actor, 3), event(actor, 4)));
        }
        for (long v = 1; v <= 11; v++) {
            store.saveEvent(event("big", v));
        }

        store.getEvents("a", 0);
        store.getEvents("b", 0);
        assertThat(store.cachedEvents()).isEqualTo(8);
        store.getEvents("c", 0);
        assertThat(store.cachedEvents()).isEqualTo(8);
        store.getEvents("big", 0);
        assertThat(store.cachedEvents()).isEqualTo(8);
        store.saveEvent(event("c", 5));
        assertThat(store.cachedEvents()).isEqualTo(9);
        store.saveEvent(event("c", 6));
        assertThat(store.cachedEvents()).isLessThanOrEqualTo(10);
        for (String actor : List.of("a", "b", "c")) {
            assertThat(store.getEvents(actor, 0)).extracting(Event::version)
                    .containsExactlyElementsOf(range(1, actor.equals("c") ? 6 : 4));
            assertThat(store.cachedEvents()).isLessThanOrEqualTo(10);
        }
        assertThat(store.getEvents("big", 0)).hasSize(11);
    }

    @Test
    void aCacheOfNoEventsCachesNothingAndANegativeBoundIsRefused() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("off"))
                .readCacheEvents(0).build();
        store.saveEvents(List.of(event("a", 1), event("a", 2)));
        store.saveEvent(event("a", 3));

        assertThat(store.getEvents("a", 0)).extracting(Event::version).containsExactly(1L, 2L, 3L);
        assertThat(store.getEvents("a", 2)).extracting(Event::version).containsExactly(2L, 3L);
        assertThat(store.cachedEvents()).isZero();
        assertThatThrownBy(() -> JetStreamEventStore.builder(connection).readCacheEvents(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readCacheEvents");
    }

    @ParameterizedTest(name = "read cache of {0} events")
    @ValueSource(ints = {0, 1000})
    void aMessageWithoutThePreviousSequenceHeaderIsReadForwardsInstead(int cacheEvents) throws Exception {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("headerless"))
                .readCacheEvents(cacheEvents).build();
        EventCodec codec = new EventCodec();
        List<Event> saved = new ArrayList<>();
        for (long v = 1; v <= 3; v++) {
            saved.add(event("actor", v));
            store.saveEvent(saved.get(saved.size() - 1));
        }
        assertThat(store.getEvents("actor", 0)).isEqualTo(saved);
        Event foreign = event("actor", 4);
        PublishAck ack = connection.jetStream().publish(NatsMessage.builder()
                .subject(SubjectCodec.subject(SubjectCodec.DEFAULT_PREFIX, store.namespace(), SubjectLayout.FLAT, "actor"))
                .headers(codec.headers(foreign)).data(codec.encode(foreign)).build());
        assertThat(ack.getSeqno()).isEqualTo(4);
        saved.add(foreign);
        for (long v = 5; v <= 6; v++) {
            saved.add(event("actor", v));
            store.saveEvent(saved.get(saved.size() - 1));
        }

        for (long from = 7; from >= 0; from--) {
            long bound = from;
            assertThat(store.getEvents("actor", from)).as("from version %d", from)
                    .isEqualTo(saved.stream().filter(e -> e.version() >= bound).toList());
        }
    }

    @Test
    void aLongActorOfBatchesAndSingleEventsIsReadWholeAndFromAnyVersion() {
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(uniqueNamespace("long-walk"))
                .readCacheEvents(0).build();
        int count = ActorReader.WALK_MIN * 2 + 5;
        for (long v = 1; v <= count; v += 2) {
            if (v + 1 <= count) {
                store.saveEvents(List.of(event("long", v), event("long", v + 1)));
            } else {
                store.saveEvent(event("long", v));
            }
            store.saveEvent(event("noise-" + v, 1));
        }

        assertThat(store.getEvents("long", 0)).extracting(Event::version).containsExactlyElementsOf(range(1, count));
        assertThat(store.getEvents("long", 10)).extracting(Event::version).containsExactlyElementsOf(range(10, count));
        assertThat(store.getEvents("long", count - 2)).extracting(Event::version)
                .containsExactlyElementsOf(range(count - 2, count));
    }

    @Test
    void anotherInstancesManyNewEventsAreReadAfterTheCachedOnes() {
        String namespace = uniqueNamespace("many-new");
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace).build();
        JetStreamEventStore other = JetStreamEventStore.builder(NATS.connect()).namespace(namespace).build();
        store.saveEvent(event("actor", 1));
        assertThat(store.getEvents("actor", 0)).hasSize(1);
        int count = ActorReader.WALK_MIN + ActorReader.LONG_READ * 2;
        for (long v = 2; v <= count; v++) {
            other.saveEvent(event("actor", v));
        }

        assertThat(store.getEvents("actor", 0)).extracting(Event::version).containsExactlyElementsOf(range(1, count));
        assertThat(store.cachedEvents()).isEqualTo(count);
    }
}
