package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aether.ActorPartitions;
import dev.aether.Event;
import dev.aether.PartitionAware;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A partition taken over from a member that died (its connection cut, no hand-over) resumes after the
 * last acknowledged event of each actor: what the dead member handled and acknowledged after its last
 * hand-over marks is not handled again, even while another event of the partition, never acknowledged,
 * holds the consumer's ack floor below it.
 */
class JetStreamPartitionTakeoverTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final int PARTITIONS = 2;
    private static final Duration LEASE_TTL = Duration.ofSeconds(10);
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);
    private static final String DURABLE = "takeover";

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void theNextOwnerDoesNotHandleAgainWhatADeadOwnerAcknowledgedAboveTheAckFloor() throws Exception {
        String namespace = "takeover-" + UUID.randomUUID().toString().substring(0, 8);
        String held = "held";
        int partition = ActorPartitions.partitionOf(held, PARTITIONS);
        String flowing = IntStream.range(0, 100).mapToObj(i -> "flowing-" + i)
                .filter(actor -> ActorPartitions.partitionOf(actor, PARTITIONS) == partition).findFirst().orElseThrow();
        JetStreamEventStore store = JetStreamEventStore.builder(connect()).namespace(namespace).build();
        List<Event> firstHandled = new CopyOnWriteArrayList<>();
        List<Event> secondHandled = new CopyOnWriteArrayList<>();

        // The held actor's event fails in every member: never acknowledged, it pins the ack floor at 0.
        save(store, held, 1);
        Connection firstConnection = NATS.connect();
        subscribe(firstConnection, namespace, held, firstHandled);
        KeyValue leases = connect().keyValue(SubjectCodec.leaseBucket(SubjectCodec.DEFAULT_PREFIX));
        String leaseKey = DURABLE + ".partitions." + partition;
        await().atMost(Duration.ofSeconds(10)).until(() -> leases.get(leaseKey) != null);

        // Right after a lease renewal (a poll, which also writes the hand-over marks), the first member
        // handles and acknowledges two events of the flowing actor, then dies before its next poll.
        long revision = leases.get(leaseKey).getRevision();
        await().atMost(LEASE_TTL).pollInterval(Duration.ofMillis(10)).until(() -> {
            KeyValueEntry entry = leases.get(leaseKey);
            return entry != null && entry.getRevision() > revision;
        });
        save(store, flowing, 1);
        save(store, flowing, 2);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> versionsOf(firstHandled, flowing).size() == 2);
        firstConnection.close();

        Subscription second = subscribe(connect(), namespace, held, secondHandled);
        await().atMost(LEASE_TTL.multipliedBy(3))
                .until(() -> ((PartitionAware) second).ownedPartitions().contains(partition));
        save(store, flowing, 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> versionsOf(secondHandled, flowing).contains(3L));

        assertThat(versionsOf(firstHandled, flowing)).containsExactly(1L, 2L);
        assertThat(versionsOf(secondHandled, flowing))
                .as("versions the dead member acknowledged are not handled again by the next owner")
                .containsExactly(3L);
    }

    private static List<Long> versionsOf(List<Event> handled, String actor) {
        return handled.stream().filter(e -> e.actorId().equals(actor)).map(Event::version).toList();
    }

    private static void save(JetStreamEventStore store, String actor, long version) {
        store.saveEvent(Event.builder().eventType("Counted").actorId(actor).version(version)
                .data(Map.of("n", version)).build());
    }

    private Subscription subscribe(Connection connection, String namespace, String failing, List<Event> handled) {
        JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(connection)
                .partitionLeaseTtl(LEASE_TTL).ackWait(ACK_WAIT).build();
        opened.add(subscriptions);
        Subscription subscription = subscriptions.subscribe(namespace, SubscriptionFilter.all(), (ns, event) -> {
            if (event.actorId().equals(failing)) {
                throw new IllegalStateException("fails until the test ends");
            }
            handled.add(event);
        }, SubscriptionOptions.builder().durableName(DURABLE).partitions(PARTITIONS)
                .startPosition(StartPosition.beginning()).maxDeliveries(10_000)
                .retryBackoff(Duration.ofMillis(200)).maxRetryBackoff(Duration.ofSeconds(1)).build());
        opened.add(subscription);
        return subscription;
    }

    private Connection connect() {
        Connection connection = NATS.connect();
        opened.add(connection::close);
        return connection;
    }
}
