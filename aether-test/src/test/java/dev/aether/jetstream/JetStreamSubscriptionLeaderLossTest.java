package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.nats.NatsClusterExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable subscription on a replicated stream of a three-node cluster resumes within seconds when
 * its consumer's leader is killed (nats-server 2.9.10 with default {@code consume()} options stalled
 * for about 89 s there).
 */
class JetStreamSubscriptionLeaderLossTest {

    @RegisterExtension
    static final NatsClusterExtension CLUSTER = new NatsClusterExtension();

    @Test
    void resumesWithinSecondsWhenTheConsumerLeaderIsKilled() throws Exception {
        Connection connection = CLUSTER.connect();
        String namespace = "leader-" + UUID.randomUUID().toString().substring(0, 8);
        String durable = "projector";
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace).replicas(3)
                .requestTimeout(Duration.ofSeconds(1)).build();
        Set<Long> received = ConcurrentHashMap.newKeySet();
        try (JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(connection).build()) {
            Subscription subscription = subscriptions.subscribe(namespace, SubscriptionFilter.all(),
                    (ns, e) -> received.add(e.version()), SubscriptionOptions.builder().durableName(durable).build());
            for (int v = 1; v <= 20; v++) {
                saveEventually(store, v);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 20);

            String leader = connection.jetStreamManagement().getConsumerInfo(store.streamName(), durable)
                    .getClusterInfo().getLeader();
            int leaderIndex = Integer.parseInt(leader.substring(1)) - 1;
            CLUSTER.kill(leaderIndex);
            long killedAt = System.nanoTime();
            try {
                for (int v = 21; v <= 40; v++) {
                    saveEventually(store, v);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 40);
                Duration resumedAfter = Duration.ofNanos(System.nanoTime() - killedAt);
                System.out.println("Resumed " + resumedAfter.toMillis() + " ms after the consumer leader was killed");
                assertThat(resumedAfter).isLessThan(Duration.ofSeconds(20));
            } finally {
                subscription.close();
                CLUSTER.start(leaderIndex);
            }
        }
    }

    /** Saves version {@code v} of actor "a", retrying while the cluster elects new leaders. */
    private static void saveEventually(JetStreamEventStore store, long v) {
        Event event = Event.builder().eventType("T").actorId("a").version(v).data(Map.of()).build();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (store.getLatestVersion("a") < v) {
                store.saveEvent(event);
            }
            return true;
        });
    }
}
