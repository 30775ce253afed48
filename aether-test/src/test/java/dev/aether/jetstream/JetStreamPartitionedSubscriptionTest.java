package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aether.Event;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two members of a partitioned durable subscription in one JVM, each on its own connection, against
 * one nats-server: the partitions split between them, each actor is handled by the owner of its
 * partition only, and when one member closes the other takes every partition; per actor the order
 * holds throughout.
 */
class JetStreamPartitionedSubscriptionTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final int PARTITIONS = 4;
    private static final Duration LEASE_TTL = Duration.ofSeconds(2);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<HandledHistory.Handled> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> handlersPerActor = new ConcurrentHashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void twoMembersSplitThePartitionsAndTheSurvivorTakesThemAllInOrder() throws Exception {
        String namespace = "split-" + UUID.randomUUID().toString().substring(0, 8);
        String durable = "projector";
        JetStreamEventStore store = JetStreamEventStore.builder(connect()).namespace(namespace).build();
        Subscription first = subscribe(namespace, durable, "first");
        subscribe(namespace, durable, "second");
        PartitionOwnership ownership = ownership(durable);

        await().atMost(Duration.ofSeconds(10)).until(() -> ownership.balancedOver(2));
        saveVersions(store, 1, 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> new HandledHistory(calls).handledEvents().size() == 20 * 5);
        assertThat(handlersPerActor.values()).as("each actor is handled by the owner of its partition only")
                .allSatisfy(handlers -> assertThat(handlers).hasSize(1));
        assertThat(handlersPerActor.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .as("both members handle events").containsExactlyInAnyOrder("first", "second");

        Instant closed = Instant.now();
        first.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> ownership.balancedOver(1));
        assertThat(Duration.between(closed, Instant.now())).as("a member that closes hands over at once")
                .isLessThan(LEASE_TTL.multipliedBy(2));
        saveVersions(store, 6, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> new HandledHistory(calls).handledEvents().size() == 20 * 10);

        HandledHistory history = new HandledHistory(calls);
        assertThat(history.orderViolations()).isEmpty();
        assertThat(handlersPerActor.values()).allSatisfy(handlers -> assertThat(handlers).contains("second"));
    }

    @Test
    void aGroupRefusesAnotherPartitionCount() {
        String namespace = "count-" + UUID.randomUUID().toString().substring(0, 8);
        JetStreamEventStore.builder(connect()).namespace(namespace).build();
        subscribe(namespace, "fixed", "first");
        JetStreamEventSubscriptions other = subscriptions();

        assertThatThrownBy(() -> other.subscribe(namespace, SubscriptionFilter.all(), (ns, e) -> { },
                SubscriptionOptions.builder().durableName("fixed").partitions(PARTITIONS + 1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions").hasMessageContaining("fixed-p0-of-" + PARTITIONS)
                .hasMessageContaining("cannot change");
    }

    @Test
    void theLeaseBucketUsesTheLeaseTtlAsMaxAge() throws Exception {
        String namespace = "ttl-" + UUID.randomUUID().toString().substring(0, 8);
        JetStreamEventStore.builder(connect()).namespace(namespace).build();
        subscribe(namespace, "ttl", "only");

        assertThat(connect().keyValueManagement().getStatus(SubjectCodec.leaseBucket(SubjectCodec.DEFAULT_PREFIX))
                .getTtl()).isEqualTo(LEASE_TTL);
        assertThat(connect().jetStreamManagement().getConsumerNames(SubjectCodec.streamName("AETHER", namespace)))
                .containsExactlyInAnyOrder("ttl-p0-of-4", "ttl-p1-of-4", "ttl-p2-of-4", "ttl-p3-of-4");
    }

    private void saveVersions(JetStreamEventStore store, long from, long to) {
        for (long v = from; v <= to; v++) {
            for (int a = 0; a < 20; a++) {
                store.saveEvent(Event.builder().eventType("Counted").actorId("actor-" + a).version(v)
                        .data(Map.of("n", v)).build());
            }
        }
    }

    private Subscription subscribe(String namespace, String durable, String member) {
        Subscription subscription = subscriptions().subscribe(namespace, SubscriptionFilter.all(), (ns, event) -> {
            calls.add(new HandledHistory.Handled(event.actorId(), event.version(),
                    ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now())));
            handlersPerActor.computeIfAbsent(event.actorId(), a -> ConcurrentHashMap.newKeySet()).add(member);
        }, SubscriptionOptions.builder().durableName(durable).partitions(PARTITIONS)
                .startPosition(StartPosition.beginning()).build());
        opened.add(subscription);
        return subscription;
    }

    private JetStreamEventSubscriptions subscriptions() {
        JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(connect())
                .partitionLeaseTtl(LEASE_TTL).build();
        opened.add(subscriptions);
        return subscriptions;
    }

    private PartitionOwnership ownership(String durable) {
        return new PartitionOwnership(PartitionLeases.open(connect(), SubjectCodec.DEFAULT_PREFIX, LEASE_TTL, 1),
                durable, PARTITIONS);
    }

    private Connection connect() {
        Connection connection = NATS.connect();
        opened.add(connection::close);
        return connection;
    }
}
