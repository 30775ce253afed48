package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aether.Event;
import dev.aether.StartPosition;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.nats.NatsClusterExtension;
import io.nats.client.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A partitioned group of two members on a three-node cluster, stream and lease bucket with
 * {@code replicas(3)}: the node leading partition 0's consumer is killed while events are saved.
 * Every event is handled, and per actor never before the one before it nor after a later one.
 */
class JetStreamPartitionedClusterTest {

    @RegisterExtension
    static final NatsClusterExtension CLUSTER = new NatsClusterExtension();

    private static final int PARTITIONS = 4;
    private static final int ACTORS = 20;
    private static final int VERSIONS = 12;
    private static final String NAMESPACE = "partitioned-cluster";
    private static final String DURABLE = "ledger";

    private final List<HandledHistory.Handled> calls = new CopyOnWriteArrayList<>();

    @Test
    void everyActorKeepsItsOrderWhenThePartitionConsumersLeaderIsKilled() throws Exception {
        Connection writerConnection = CLUSTER.connect();
        JetStreamEventStore store = JetStreamEventStore.builder(writerConnection).namespace(NAMESPACE).replicas(3)
                .requestTimeout(Duration.ofSeconds(1)).build();
        List<AutoCloseable> members = new ArrayList<>();
        int killed = -1;
        try {
            for (int m = 0; m < 2; m++) {
                JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(CLUSTER.connect())
                        .leaseReplicas(3).ackWait(Duration.ofSeconds(5)).build();
                members.add(subscriptions);
                subscriptions.subscribe(NAMESPACE, SubscriptionFilter.all(), (ns, event) -> calls.add(
                        new HandledHistory.Handled(event.actorId(), event.version(),
                                ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()))),
                        SubscriptionOptions.builder().durableName(DURABLE).partitions(PARTITIONS)
                                .startPosition(StartPosition.beginning()).build());
            }
            PartitionOwnership ownership = new PartitionOwnership(PartitionLeases.open(writerConnection,
                    SubjectCodec.DEFAULT_PREFIX, JetStreamEventSubscriptions.DEFAULT_PARTITION_LEASE_TTL, 3),
                    DURABLE, PARTITIONS);
            await().atMost(Duration.ofSeconds(20)).until(() -> ownership.balancedOver(2));

            saveVersions(store, 1, VERSIONS / 2);
            String leader = writerConnection.jetStreamManagement().getConsumerInfo(store.streamName(),
                    SubjectCodec.partitionConsumer(DURABLE, 0, PARTITIONS)).getClusterInfo().getLeader();
            killed = CLUSTER.indexOf(leader);
            CLUSTER.kill(killed);
            saveVersions(store, VERSIONS / 2 + 1, VERSIONS);

            Set<String> saved = new HashSet<>();
            for (int a = 0; a < ACTORS; a++) {
                for (int v = 1; v <= VERSIONS; v++) {
                    saved.add("actor-" + a + "@" + v);
                }
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Set<String> missing = new TreeSet<>(saved);
                missing.removeAll(new HandledHistory(calls).handledEvents());
                assertThat(missing).as("saved events not handled").isEmpty();
            });
            HandledHistory history = new HandledHistory(calls);
            assertThat(history.orderViolations()).as("per-actor order across the group").isEmpty();
            System.out.printf("partitioned cluster: %d events, %d handler calls, %d duplicates%n", saved.size(),
                    history.size(), history.duplicates());
        } finally {
            for (int i = members.size() - 1; i >= 0; i--) {
                members.get(i).close();
            }
            if (killed >= 0) {
                CLUSTER.start(killed);
            }
        }
    }

    /** Saves the versions of every actor, each exactly once, retrying while the cluster elects leaders. */
    private static void saveVersions(JetStreamEventStore store, long from, long to) {
        for (long v = from; v <= to; v++) {
            for (int a = 0; a < ACTORS; a++) {
                String actor = "actor-" + a;
                long version = v;
                Event event = Event.builder().eventType("Posted").actorId(actor).version(version).data(Map.of()).build();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> {
                            if (store.getLatestVersion(actor) < version) {
                                store.saveEvent(event);
                            }
                            return true;
                        });
            }
        }
    }
}
