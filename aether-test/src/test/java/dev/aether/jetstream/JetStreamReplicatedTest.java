package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aether.Event;
import dev.aether.StoreUnavailableException;
import dev.aether.test.nats.NatsClusterExtension;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JetStream store on a three-node cluster with {@code replicas(3)}. */
class JetStreamReplicatedTest {

    @RegisterExtension
    static final NatsClusterExtension CLUSTER = new NatsClusterExtension();

    private static JetStreamEventStore store(Connection connection, String namespace) {
        return JetStreamEventStore.builder(connection).namespace(namespace).replicas(3)
                .requestTimeout(Duration.ofSeconds(5)).build();
    }

    private static String uniqueNamespace(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createsTheStreamAndSnapshotBucketWithThreeReplicas() throws Exception {
        Connection connection = CLUSTER.connect();
        JetStreamEventStore store = store(connection, uniqueNamespace("r3"));
        assertThat(connection.jetStreamManagement().getStreamInfo(store.streamName()).getConfiguration().getReplicas())
                .isEqualTo(3);
        String bucketStream = "KV_" + SubjectCodec.snapshotBucket(SubjectCodec.DEFAULT_PREFIX, store.namespace());
        assertThat(connection.jetStreamManagement().getStreamInfo(bucketStream).getConfiguration())
                .satisfies(c -> {
                    assertThat(c.getReplicas()).isEqualTo(3);
                    assertThat(c.getAllowDirect()).isFalse();
                });
    }

    /**
     * Two connections save every version of one actor at once on a replicated stream, where
     * nats-server 2.9.10 checks the expected sequence before the Raft proposal (nats-server#4320):
     * the (actor, version) message id still lets exactly one win each version.
     */
    @Test
    void exactlyOneOfTwoConnectionsWinsEachVersionOnAReplicatedStream() throws Exception {
        String namespace = uniqueNamespace("r3-race");
        JetStreamEventStore first = store(CLUSTER.connect(), namespace);
        JetStreamEventStore second = store(CLUSTER.connect(), namespace);
        int versions = 60;
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<Event>> firstWins = pool.submit(JetStreamEventStoreTest.writer(first, "hot", versions, barrier));
            Future<List<Event>> secondWins = pool.submit(JetStreamEventStoreTest.writer(second, "hot", versions, barrier));
            List<Event> wins = new ArrayList<>(firstWins.get(2, TimeUnit.MINUTES));
            wins.addAll(secondWins.get(2, TimeUnit.MINUTES));

            List<Long> all = LongStream.rangeClosed(1, versions).boxed().toList();
            assertThat(wins).extracting(Event::version).containsExactlyInAnyOrderElementsOf(all);
            assertThat(first.getEvents("hot", 0)).containsExactlyInAnyOrderElementsOf(wins)
                    .extracting(Event::version).containsExactlyElementsOf(all);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * On a replicated stream of nats-server 2.9.10 a retried publish that was already stored answers
     * "wrong last sequence" naming its own sequence, not "duplicate": the store must still recognise
     * its own event and report success once.
     */
    @Test
    void aPublishWhoseAckWasLostIsReportedAsSuccessOnceOnAReplicatedStream() throws Exception {
        String namespace = uniqueNamespace("r3-lost-ack");
        JetStreamEventStore observer = store(CLUSTER.connect(), namespace);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (AckHoldingProxy proxy = new AckHoldingProxy(CLUSTER.port(1))) {
            Connection proxied = Nats.connect(Options.builder().server("nats://127.0.0.1:" + proxy.port())
                    .noRandomize().ignoreDiscoveredServers().errorListener(new ErrorListener() { }).build());
            JetStreamEventStore store = JetStreamEventStore.builder(proxied).namespace(namespace).replicas(3)
                    .requestTimeout(Duration.ofMillis(500)).publishAttempts(20).build();
            Event first = JetStreamEventStoreTest.event("a", 1);
            store.saveEvent(first);
            int publishesBefore = proxy.headerPublishes();

            proxy.hold();
            Event second = JetStreamEventStoreTest.event("a", 2);
            Future<?> save = pool.submit(() -> store.saveEvent(second));
            await().atMost(Duration.ofSeconds(30)).until(() -> observer.getLatestVersion("a") == 2
                    && proxy.headerPublishes() >= publishesBefore + 2);
            proxy.release();

            save.get(30, TimeUnit.SECONDS);
            assertThat(observer.getEvents("a", 0)).extracting(Event::id).containsExactly(first.id(), second.id());
            proxied.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keepsWorkingWhenOneNodeIsKilled() {
        JetStreamEventStore store = store(CLUSTER.connect(), uniqueNamespace("r3-kill"));
        store.saveEvent(JetStreamEventStoreTest.event("a", 1));
        CLUSTER.kill(0);
        try {
            // A leader on the killed node must be re-elected first; until then the store is unavailable.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                    .until(() -> {
                        long next = store.getLatestVersion("a") + 1;
                        store.saveEvent(JetStreamEventStoreTest.event("a", next));
                        return next >= 2;
                    });
            assertThat(store.getEvents("a", 0)).extracting(Event::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, store.getLatestVersion("a")).boxed().toList());
        } finally {
            CLUSTER.start(0);
        }
    }
}
