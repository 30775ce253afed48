package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.EventSubscriptions;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.EventSubscriptionsContract;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.MessageInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link JetStreamEventSubscriptions} keeps the subscription contract on a real nats-server, across
 * connections, through a server kill and restart, and with streams created after subscribing.
 */
class JetStreamEventSubscriptionsTest extends EventSubscriptionsContract {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static Connection connection;
    private final Map<String, JetStreamEventStore> stores = new ConcurrentHashMap<>();
    private JetStreamEventSubscriptions jetStream;

    @BeforeAll
    static void connect() {
        connection = NATS.connect();
    }

    @Override
    protected EventSubscriptions createSubscriptions() {
        jetStream = JetStreamEventSubscriptions.builder(connection).discoveryInterval(Duration.ofSeconds(1)).build();
        return jetStream;
    }

    @Override
    protected EventStore store(String namespace) {
        return stores.computeIfAbsent(namespace,
                ns -> JetStreamEventStore.builder(connection).namespace(ns).build());
    }

    @Override
    protected void closeSubscriptions() {
        jetStream.close();
    }

    @Test
    void aBatchGivenBackUnfinishedComesAgainWholeAndInOrder() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        List<String> firstRun = new CopyOnWriteArrayList<>();
        Subscription first = subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            firstRun.add(e.actorId() + "@" + e.version());
            if (e.version() == 2) {
                throw new IllegalStateException("not now");
            }
        }, SubscriptionOptions.builder().durableName(durable).maxDeliveries(10)
                .retryBackoff(Duration.ofMinutes(1)).maxRetryBackoff(Duration.ofMinutes(1)).build());
        saveBatch(ns, "a", 1, "T", "T", "T");
        await().atMost(TIMEOUT).until(() -> firstRun.size() == 2);

        first.close();

        List<String> secondRun = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> secondRun.add(e.actorId() + "@" + e.version()),
                SubscriptionOptions.builder().durableName(durable).build());
        // The server may hand the message given back to the closed subscription's last pull request, which it
        // holds until that expires; then it comes again only after ackWait (a CI run saw it).
        await().atMost(TIMEOUT.plus(JetStreamEventSubscriptions.DEFAULT_ACK_WAIT))
                .until(() -> secondRun.size() >= 3);
        assertThat(firstRun).containsExactly("a@1", "a@2");
        assertThat(secondRun).containsExactly("a@1", "a@2", "a@3");
    }

    @Test
    void anEventOfABatchIsParkedAloneWithItsOwnBodyAndHeaders() throws Exception {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            if (e.version() == 2) {
                throw new IllegalStateException("cannot project");
            }
        }, fastRetries().durableName(durable).build());

        List<Event> batch = saveBatch(ns, "order-1", 1, "OrderPlaced", "StockReserved", "PaymentRequested");

        await().atMost(TIMEOUT).until(() -> jetStream.parkedEvents(durable).size() == 1);
        MessageInfo parked = connection.jetStreamManagement().getLastMessage(jetStream.parkingStream(),
                SubjectCodec.parkedSubject(SubjectCodec.DEFAULT_PREFIX, durable, ns));
        assertThat(new EventCodec().decode(parked.getData())).isEqualTo(batch.get(1));
        assertThat(parked.getHeaders().getFirst(EventCodec.EVENT_TYPE_HEADER)).isEqualTo("StockReserved");
        assertThat(parked.getHeaders().getFirst(EventCodec.VERSION_HEADER)).isEqualTo("2");
        assertThat(parked.getHeaders().getFirst(JetStreamEventSubscriptions.PARKED_SEQUENCE_HEADER))
                .isEqualTo(Long.toString(jetStream.parkedEvents(durable).get(0).position()));
    }

    @Test
    void anEventSavedThroughOneConnectionReachesASubscriptionOnAnother() {
        String ns = uniqueNamespace();
        Connection other = NATS.connect();
        JetStreamEventStore otherStore = JetStreamEventStore.builder(other).namespace(ns).build();
        List<Event> received = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(e), SubscriptionOptions.defaults());

        Event saved = Event.builder().eventType("OrderPlaced").actorId("order-1").version(1)
                .data(Map.of("total", 42)).build();
        otherStore.saveEvent(saved);

        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        assertThat(received.get(0)).isEqualTo(saved);
    }

    @Test
    void eventsSavedInAnotherJvmReachASubscriptionHere() throws Exception {
        String ns = uniqueNamespace();
        store(ns);
        List<String> receivedIds = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> receivedIds.add(e.id()),
                SubscriptionOptions.builder().durableName(uniqueDurableName()).build());

        Process writer = SecondJvm.start(CrossProcessWriter.class, NATS.url(), ns, "order-1", "20", "other-jvm");
        try {
            BufferedReader output = SecondJvm.output(writer);
            assertThat(output.readLine()).isEqualTo("READY");
            writer.getOutputStream().write('\n');
            writer.getOutputStream().flush();
            List<String> savedIds = output.lines().filter(l -> l.startsWith("WON ")).map(l -> l.split(" ")[2]).toList();
            assertThat(writer.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(writer.exitValue()).isZero();
            assertThat(savedIds).hasSize(20);

            await().atMost(TIMEOUT).until(() -> receivedIds.size() == 20);
            assertThat(receivedIds).containsExactlyElementsOf(savedIds);
        } finally {
            writer.destroyForcibly();
        }
    }

    @Test
    void resumesByItselfAfterTheServerIsKilledAndRestartedAndMissesNothing() {
        String ns = uniqueNamespace();
        EventStore store = store(ns);
        Set<String> received = ConcurrentHashMap.newKeySet();
        CountDownLatch restarted = new CountDownLatch(1);
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            received.add(e.actorId() + "@" + e.version());
            if (e.version() == 10) {
                // hold the handler, so the kill finds events read but not yet acknowledged
                awaitUninterruptibly(restarted);
            }
        }, SubscriptionOptions.builder().durableName(uniqueDurableName()).build());
        for (int v = 1; v <= 50; v++) {
            store.saveEvent(event("a", v));
        }
        await().atMost(TIMEOUT).until(() -> received.size() == 10);

        NATS.kill();
        NATS.start();
        restarted.countDown();
        for (int v = 51; v <= 100; v++) {
            store.saveEvent(event("a", v));
        }

        // resumes within seconds: one fetch expiry (5 s) plus reconnecting
        await().atMost(Duration.ofSeconds(15)).until(() -> received.size() == 100);
        for (int v = 1; v <= 100; v++) {
            assertThat(received).contains("a@" + v);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void findsStreamsOfMatchingNamespacesCreatedAfterSubscribing() {
        String root = uniqueNamespace();
        List<String> received = new CopyOnWriteArrayList<>();
        subscribe(root + ".*", SubscriptionFilter.all(), (n, e) -> received.add(n),
                SubscriptionOptions.builder().durableName(uniqueDurableName()).build());

        save(root + ".eu", "T", "a", 1);
        save(root + ".us", "T", "a", 1);

        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).containsExactlyInAnyOrder(root + ".eu", root + ".us");
    }

    @Test
    void parksIntoAStreamOperatorsCanReadWithAnyNatsTool() throws Exception {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            throw new IllegalArgumentException("bad data\nline two");
        }, fastRetries().durableName(durable).build());
        Event poison = save(ns, "T", "poison", 1);

        await().atMost(TIMEOUT).until(() -> !jetStream.parkedEvents(durable).isEmpty());
        MessageInfo parked = connection.jetStreamManagement().getLastMessage(jetStream.parkingStream(),
                "AETHER_parked." + durable + "." + ns);
        assertThat(parked.getHeaders().getFirst(JetStreamEventSubscriptions.PARKED_FAILURE_HEADER))
                .isEqualTo("java.lang.IllegalArgumentException: bad data%0Aline two");
        assertThat(parked.getHeaders().getFirst(JetStreamEventSubscriptions.PARKED_STREAM_HEADER))
                .isEqualTo(SubjectCodec.streamName(SubjectCodec.DEFAULT_PREFIX, ns));
        assertThat(parked.getHeaders().getFirst(EventCodec.EVENT_ID_HEADER)).isEqualTo(poison.id());
        assertThat(new EventCodec().decode(parked.getData())).isEqualTo(poison);
        assertThat(jetStream.parkedEvents(durable)).singleElement()
                .satisfies(p -> assertThat(p.failure()).isEqualTo("java.lang.IllegalArgumentException: bad data\nline two"));
        assertThatThrownBy(() -> jetStream.parkedEvents("a.>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subscription");
    }

    @Test
    void aSubscriptionStartedBeforeItsStreamExistsReadsItOnceCreated() {
        String ns = uniqueNamespace();
        List<Long> received = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(e.version()),
                SubscriptionOptions.builder().startPosition(StartPosition.newEvents()).build());
        save(ns, "T", "a", 1);
        save(ns, "T", "a", 2);
        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).containsExactly(1L, 2L);
    }

    @Test
    void extendsTheAckDeadlineOfEventsWaitingBehindASlowHandler() throws Exception {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        EventStore store = store(ns);
        Duration ackWait = Duration.ofSeconds(5);
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        try (JetStreamEventSubscriptions shortDeadline = JetStreamEventSubscriptions.builder(connection)
                .ackWait(ackWait).build()) {
            shortDeadline.subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
                if (e.version() == 1) {
                    awaitUninterruptibly(release);
                }
                handled.add(e.actorId() + "@" + e.version());
            }, SubscriptionOptions.builder().durableName(durable).build());
            for (int v = 1; v <= 5; v++) {
                store.saveEvent(event("a", v));
            }

            // All five stay pending and none is redelivered, without a break, for longer than the
            // server would have waited before redelivering them without extensions.
            String streamName = SubjectCodec.streamName(SubjectCodec.DEFAULT_PREFIX, ns);
            var management = connection.jetStreamManagement();
            await().during(ackWait.multipliedBy(8).dividedBy(5)).atMost(ackWait.multipliedBy(3))
                    .until(() -> management.getConsumerInfo(streamName, durable),
                            info -> info.getNumAckPending() == 5 && info.getRedelivered() == 0);
            var consumer = management.getConsumerInfo(streamName, durable);
            assertThat(consumer.getNumAckPending()).isEqualTo(5);
            assertThat(consumer.getRedelivered()).isZero();

            release.countDown();
            await().atMost(TIMEOUT).until(() -> handled.size() == 5);
            assertThat(handled).containsExactly("a@1", "a@2", "a@3", "a@4", "a@5");
        }
    }

    /**
     * Parking fails (the parking stream is gone), so the event is handed back to the server; then the
     * server loses the consumer. The consumer created again must deliver that event again, so that it
     * is parked once parking works, not skipped because later events were already read.
     */
    @Test
    void aConsumerCreatedAgainRedeliversAnEventWhoseParkingFailed() throws Exception {
        String prefix = "PARKFAIL" + UUID.randomUUID().toString().substring(0, 8);
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        var management = connection.jetStreamManagement();
        JetStreamEventStore store = JetStreamEventStore.builder(connection).streamPrefix(prefix).namespace(ns).build();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (JetStreamEventSubscriptions parking = JetStreamEventSubscriptions.builder(connection)
                .streamPrefix(prefix).build()) {
            management.deleteStream(SubjectCodec.parkingStream(prefix));
            parking.subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
                handled.add(e.actorId() + "@" + e.version());
                if (e.actorId().equals("poison")) {
                    throw new IllegalStateException("cannot project " + e.actorId());
                }
            }, SubscriptionOptions.builder().durableName(durable).maxDeliveries(1)
                    .maxRetryBackoff(Duration.ofMinutes(5)).build());
            store.saveEvent(event("poison", 1));
            store.saveEvent(event("marker", 1));
            // One delivery thread: once the marker is handled, the poison's failed park (and nak) is done.
            await().atMost(TIMEOUT).until(() -> handled.contains("marker@1"));
            assertThat(handled).containsExactly("poison@1", "marker@1");

            management.deleteConsumer(SubjectCodec.streamName(prefix, ns), durable);
            JetStreamEventSubscriptions.builder(connection).streamPrefix(prefix).build().close();

            await().atMost(Duration.ofSeconds(60)).until(() -> parking.parkedEvents(durable).size() == 1);
            assertThat(parking.parkedEvents(durable)).singleElement()
                    .satisfies(p -> assertThat(p.event().actorId()).isEqualTo("poison"));
        }
    }

    @Test
    void aSubscriptionWithoutDurableNameRemovesItsConsumerWhenClosed() throws Exception {
        String ns = uniqueNamespace();
        store(ns);
        String streamName = SubjectCodec.streamName(SubjectCodec.DEFAULT_PREFIX, ns);
        var subscription = subscriptions.subscribe(ns, SubscriptionFilter.all(), (n, e) -> { },
                SubscriptionOptions.defaults());
        assertThat(connection.jetStreamManagement().getConsumerNames(streamName)).hasSize(1);
        subscription.close();
        assertThat(connection.jetStreamManagement().getConsumerNames(streamName)).isEmpty();
    }

    @Test
    void aDurableSubscriptionKeepsItsConsumerWhenClosed() throws Exception {
        String ns = uniqueNamespace();
        store(ns);
        String durable = uniqueDurableName();
        subscriptions.subscribe(ns, SubscriptionFilter.all(), (n, e) -> { },
                SubscriptionOptions.builder().durableName(durable).build()).close();
        assertThat(connection.jetStreamManagement()
                .getConsumerNames(SubjectCodec.streamName(SubjectCodec.DEFAULT_PREFIX, ns))).containsExactly(durable);
    }

    @Test
    void aClosedInstanceRefusesNewSubscriptions() {
        jetStream.close();
        assertThatThrownBy(() -> jetStream.subscribe("orders", SubscriptionFilter.all(), (n, e) -> { },
                SubscriptionOptions.defaults())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesOutOfRangeSettings() {
        assertThatThrownBy(() -> JetStreamEventSubscriptions.builder(connection).fetchExpiry(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fetchExpiry");
        assertThatThrownBy(() -> JetStreamEventSubscriptions.builder(connection).streamPrefix("a_b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("streamPrefix");
        assertThatThrownBy(() -> JetStreamEventSubscriptions.builder(connection).parkingReplicas(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parkingReplicas");
        assertThatThrownBy(() -> JetStreamEventSubscriptions.builder(connection).fetchBatch(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fetchBatch");
        assertThatThrownBy(() -> JetStreamEventSubscriptions.builder(connection)
                .fetchBatch(JetStreamEventSubscriptions.MAX_IN_FLIGHT / 2 + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fetchBatch");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, JetStreamEventSubscriptions.MAX_IN_FLIGHT / 2})
    void deliversEveryEventInActorOrderWithTheSmallestAndLargestFetchBatch(int fetchBatch) {
        String ns = uniqueNamespace();
        int actors = 3;
        int versions = JetStreamEventSubscriptions.MAX_IN_FLIGHT / actors + 20;
        for (int v = 1; v <= versions; v++) {
            for (int a = 0; a < actors; a++) {
                store(ns).saveEvent(event("actor-" + a, v));
            }
        }
        Map<String, List<Long>> handled = new ConcurrentHashMap<>();
        try (JetStreamEventSubscriptions batched = JetStreamEventSubscriptions.builder(connection)
                .fetchBatch(fetchBatch).build()) {
            batched.subscribe(ns, SubscriptionFilter.all(),
                    (n, e) -> handled.computeIfAbsent(e.actorId(), id -> new CopyOnWriteArrayList<>()).add(e.version()),
                    SubscriptionOptions.builder().durableName(uniqueDurableName())
                            .startPosition(StartPosition.beginning()).build());
            await().atMost(TIMEOUT).until(() -> handled.values().stream().mapToInt(List::size).sum() == actors * versions);
        }
        List<Long> inOrder = java.util.stream.LongStream.rangeClosed(1, versions).boxed().toList();
        assertThat(handled).hasSize(actors).allSatisfy((actor, seen) -> assertThat(seen).isEqualTo(inOrder));
    }

    private static Event event(String actor, long version) {
        return Event.builder().eventType("T").actorId(actor).version(version).data(Map.of()).build();
    }
}
