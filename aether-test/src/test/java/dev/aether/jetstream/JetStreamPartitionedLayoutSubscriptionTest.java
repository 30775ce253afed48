package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aether.ActorPartitions;
import dev.aether.Event;
import dev.aether.StartPosition;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A partitioned subscription on a stream of the {@link SubjectLayout#PARTITIONED partitioned} layout, one
 * process owning every partition: with a power-of-two count each partition consumer filters on its hash bits,
 * so the server delivers it only its partition's messages; with any other count every consumer reads the
 * whole stream and skips the others' events, as every partition consumer on a flat stream still does. Either way every event is handled once, per
 * actor in order.
 */
class JetStreamPartitionedLayoutSubscriptionTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final int ACTORS = 40;
    private static final int VERSIONS = 5;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<HandledHistory.Handled> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void eachPartitionConsumerOfAPowerOfTwoGroupIsDeliveredOnlyItsPartitionsMessages() throws Exception {
        int partitions = 4;
        String namespace = "filtered-" + UUID.randomUUID().toString().substring(0, 8);
        JetStreamEventStore store = partitionedStore(namespace);
        saveAll(store);
        subscribe(namespace, "filtered", partitions);

        awaitEveryEventHandledOnceInOrder();
        JetStreamManagement management = connect().jetStreamManagement();
        for (int p = 0; p < partitions; p++) {
            String consumer = SubjectCodec.partitionConsumer("filtered", p, partitions);
            String filter = SubjectCodec.partitionFilter("AETHER", namespace, SubjectLayout.PARTITIONED, p, partitions)
                    .orElseThrow();
            long ownMessages = (long) actorsIn(p, partitions) * VERSIONS;
            assertThat(ownMessages).as("the actors spread over every partition").isPositive();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ConsumerInfo info = management.getConsumerInfo(store.streamName(), consumer);
                assertThat(info.getConsumerConfiguration().getFilterSubject()).isEqualTo(filter);
                assertThat(info.getDelivered().getConsumerSequence()).as("messages delivered to %s", consumer)
                        .isEqualTo(ownMessages);
                assertThat(info.getNumAckPending()).isZero();
            });
        }
    }

    @Test
    void aGroupWhoseCountIsNotAPowerOfTwoReadsTheWholeStreamOnEachConsumerAndStillHandlesEachEventOnce()
            throws Exception {
        int partitions = 3;
        String namespace = "unfiltered-" + UUID.randomUUID().toString().substring(0, 8);
        JetStreamEventStore store = partitionedStore(namespace);
        saveAll(store);
        subscribe(namespace, "unfiltered", partitions);

        awaitEveryEventHandledOnceInOrder();
        JetStreamManagement management = connect().jetStreamManagement();
        for (int p = 0; p < partitions; p++) {
            String consumer = SubjectCodec.partitionConsumer("unfiltered", p, partitions);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ConsumerInfo info = management.getConsumerInfo(store.streamName(), consumer);
                assertThat(info.getConsumerConfiguration().getFilterSubject()).isNull();
                assertThat(info.getDelivered().getConsumerSequence()).as("messages delivered to %s", consumer)
                        .isEqualTo((long) ACTORS * VERSIONS);
            });
        }
    }

    @Test
    void onAFlatStreamEachPartitionConsumerStillReadsTheWholeStreamAsBefore() throws Exception {
        int partitions = 4;
        String namespace = "flat-" + UUID.randomUUID().toString().substring(0, 8);
        JetStreamEventStore store = JetStreamEventStore.builder(connect()).namespace(namespace).build();
        saveAll(store);
        subscribe(namespace, "flat", partitions);

        awaitEveryEventHandledOnceInOrder();
        JetStreamManagement management = connect().jetStreamManagement();
        for (int p = 0; p < partitions; p++) {
            String consumer = SubjectCodec.partitionConsumer("flat", p, partitions);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ConsumerInfo info = management.getConsumerInfo(store.streamName(), consumer);
                assertThat(info.getConsumerConfiguration().getFilterSubject()).isNull();
                assertThat(info.getDelivered().getConsumerSequence()).as("messages delivered to %s", consumer)
                        .isEqualTo((long) ACTORS * VERSIONS);
            });
        }
    }

    private void awaitEveryEventHandledOnceInOrder() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> new HandledHistory(calls).handledEvents().size() == ACTORS * VERSIONS);
        HandledHistory history = new HandledHistory(calls);
        assertThat(history.orderViolations()).isEmpty();
        assertThat(history.duplicates()).isZero();
    }

    private static int actorsIn(int partition, int partitions) {
        int count = 0;
        for (int a = 0; a < ACTORS; a++) {
            if (ActorPartitions.partitionOf("actor-" + a, partitions) == partition) {
                count++;
            }
        }
        return count;
    }

    private JetStreamEventStore partitionedStore(String namespace) {
        return JetStreamEventStore.builder(connect()).namespace(namespace).subjectLayout(SubjectLayout.PARTITIONED)
                .build();
    }

    private static void saveAll(JetStreamEventStore store) {
        for (long v = 1; v <= VERSIONS; v++) {
            for (int a = 0; a < ACTORS; a++) {
                store.saveEvent(Event.builder().eventType("Counted").actorId("actor-" + a).version(v)
                        .data(Map.of("n", v)).build());
            }
        }
    }

    private void subscribe(String namespace, String durable, int partitions) {
        JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(connect()).build();
        opened.add(subscriptions);
        opened.add(subscriptions.subscribe(namespace, SubscriptionFilter.all(), (ns, event) ->
                        calls.add(new HandledHistory.Handled(event.actorId(), event.version(),
                                ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()))),
                SubscriptionOptions.builder().durableName(durable).partitions(partitions)
                        .startPosition(StartPosition.beginning()).build()));
    }

    private Connection connect() {
        Connection connection = NATS.connect();
        opened.add(connection::close);
        return connection;
    }
}
