package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aether.Event;
import dev.aether.StartPosition;
import dev.aether.StoreUnavailableException;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The subject layout of a namespace's stream: chosen by the store that creates the stream, read back from
 * the stream's subjects by every later store and subscription, and the same subjects whichever store wrote.
 */
class JetStreamSubjectLayoutTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static Connection connection;

    @BeforeAll
    static void connect() {
        connection = NATS.connect();
    }

    @AfterAll
    static void close() throws InterruptedException {
        connection.close();
    }

    @Test
    void aStoreCreatesAPartitionedStreamAndWritesEachActorOnItsHashedSubject() throws Exception {
        String namespace = namespace("created");
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace)
                .subjectLayout(SubjectLayout.PARTITIONED).build();
        store.saveEvent(event("order 1", 1));
        store.saveEvents(List.of(event("order 1", 2), event("order 1", 3)));

        JetStreamManagement management = connection.jetStreamManagement();
        assertThat(management.getStreamInfo(store.streamName()).getConfiguration().getSubjects())
                .containsExactly(JetStreamNames.streamSubjects("AETHER", namespace, SubjectLayout.PARTITIONED));
        String subject = JetStreamNames.actorSubject("AETHER", namespace, SubjectLayout.PARTITIONED, "order 1");
        assertThat(subject).isEqualTo("AETHER." + namespace + ".0.0.1.1.0.1.0.1.0.0.order_201");
        assertThat(management.getLastMessage(store.streamName(), subject).getHeaders()
                .getFirst(EventCodec.VERSION_HEADER)).isEqualTo("3");
        assertThat(store.getLatestVersion("order 1")).isEqualTo(3);
        assertThat(store.getEvents("order 1", 2)).extracting(Event::version).containsExactly(2L, 3L);
    }

    @Test
    void anExistingStreamKeepsItsLayoutWhateverALaterStoreIsBuiltWith() {
        String partitionedNamespace = namespace("kept-partitioned");
        JetStreamEventStore.builder(connection).namespace(partitionedNamespace)
                .subjectLayout(SubjectLayout.PARTITIONED).build().saveEvent(event("a", 1));
        JetStreamEventStore flatBuilt = JetStreamEventStore.builder(connection).namespace(partitionedNamespace).build();
        assertThat(flatBuilt.subjectLayout()).isEqualTo(SubjectLayout.PARTITIONED);
        assertThat(flatBuilt.getEvents("a", 0)).extracting(Event::version).containsExactly(1L);

        String flatNamespace = namespace("kept-flat");
        JetStreamEventStore.builder(connection).namespace(flatNamespace).build().saveEvent(event("a", 1));
        JetStreamEventStore partitionedBuilt = JetStreamEventStore.builder(connection).namespace(flatNamespace)
                .subjectLayout(SubjectLayout.PARTITIONED).build();
        assertThat(partitionedBuilt.subjectLayout()).isEqualTo(SubjectLayout.FLAT);
        partitionedBuilt.saveEvent(event("a", 2));
        assertThat(partitionedBuilt.getEvents("a", 0)).extracting(Event::version).containsExactly(1L, 2L);
    }

    @Test
    void aStreamWithTheSubjectsOfBothLayoutsIsRefused() throws Exception {
        String namespace = namespace("both");
        connection.jetStreamManagement().addStream(StreamConfiguration.builder()
                .name(JetStreamNames.streamName("AETHER", namespace))
                .subjects(JetStreamNames.streamSubjects("AETHER", namespace, SubjectLayout.FLAT),
                        JetStreamNames.streamSubjects("AETHER", namespace, SubjectLayout.PARTITIONED))
                .denyDelete(true).discardPolicy(io.nats.client.api.DiscardPolicy.New).build());

        assertThatThrownBy(() -> JetStreamEventStore.builder(connection).namespace(namespace).build())
                .isInstanceOf(IncompatibleStreamException.class).hasMessageContaining("both layouts");
    }

    @Test
    void aFlatNamespaceTenTokensBelowAPartitionedOneCannotHaveAStreamAsTheirSubjectsOverlap() {
        String namespace = namespace("deep");
        JetStreamEventStore.builder(connection).namespace(namespace).subjectLayout(SubjectLayout.PARTITIONED).build();

        assertThatThrownBy(() -> JetStreamEventStore.builder(connection)
                .namespace(namespace + ".0.0.0.0.0.0.0.0.0.0").build())
                .isInstanceOf(StoreUnavailableException.class)
                .hasStackTraceContaining("subjects overlap");
    }

    @Test
    void aWildcardSubscriptionFindsStreamsOfBothLayouts() {
        String parent = namespace("both-found");
        JetStreamEventStore flat = JetStreamEventStore.builder(connection).namespace(parent + ".flat").build();
        JetStreamEventStore partitioned = JetStreamEventStore.builder(connection).namespace(parent + ".partitioned")
                .subjectLayout(SubjectLayout.PARTITIONED).build();
        flat.saveEvent(event("a", 1));
        partitioned.saveEvent(event("a", 1));
        Set<String> handled = ConcurrentHashMap.newKeySet();

        try (JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(connection).build();
             var subscription = subscriptions.subscribe(parent + ".*", SubscriptionFilter.all(),
                     (ns, e) -> handled.add(ns + "/" + e.actorId()),
                     SubscriptionOptions.builder().startPosition(StartPosition.beginning()).build())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 2);
            assertThat(handled).containsExactlyInAnyOrder(parent + ".flat/a", parent + ".partitioned/a");
        }
    }

    private static String namespace(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Event event(String actor, long version) {
        return Event.builder().eventType("Counted").actorId(actor).version(version).data(Map.of("n", version)).build();
    }
}
