package dev.aether.test;

import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.EventStore;
import dev.aether.EventSubscriptions;
import dev.aether.ParkedEvent;
import dev.aether.ParkedEvents;
import dev.aether.SnapshotStore;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The rules every {@link EventSubscriptions} keeps. Extend it, give it subscriptions, which must also be
 * {@link ParkedEvents}, and stores whose saves reach them. Subscriptions are closed after each test.
 *
 * <p>"Not delivered" is checked with a marker saved afterwards in the same namespace and actor: a
 * subscription sees one actor's events in order, so the first event had its chance by then. The nested
 * {@link TypedEvents} runs {@link TypedEventsContract} on the same subscriptions and stores.
 */
public abstract class EventSubscriptionsContract {

    /** How long a test waits for deliveries. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** @return options with fast retries (3 deliveries, 50 to 200 ms apart), so retry tests take under a second */
    protected static SubscriptionOptions.Builder fastRetries() {
        return SubscriptionOptions.builder().maxDeliveries(3).retryBackoff(Duration.ofMillis(50))
                .maxRetryBackoff(Duration.ofMillis(200));
    }

    /** The subscriptions under test, created before each test. */
    protected EventSubscriptions subscriptions;

    private final List<Subscription> opened = new CopyOnWriteArrayList<>();

    /** @return new subscriptions to test; called before each test */
    protected abstract EventSubscriptions createSubscriptions();

    /**
     * @param namespace a namespace
     * @return a store of that namespace whose saves reach {@link #subscriptions}
     */
    protected abstract EventStore store(String namespace);

    /**
     * @param subscription a durable name
     * @return what that subscription parked, oldest first
     */
    protected List<ParkedEvent> parkedEvents(String subscription) {
        return parking().parkedEvents(subscription);
    }

    /** @return the subscriptions under test as {@link ParkedEvents}, failing the test if they are not */
    protected ParkedEvents parking() {
        assertThat(subscriptions).as("the subscriptions under test offer ParkedEvents").isInstanceOf(ParkedEvents.class);
        return (ParkedEvents) subscriptions;
    }

    /** Closes {@link #subscriptions} if it needs closing; called after each test. */
    protected abstract void closeSubscriptions();

    @BeforeEach
    void createSubscriptionsUnderTest() {
        subscriptions = createSubscriptions();
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(Subscription::close);
        closeSubscriptions();
    }

    /** @return a namespace no other test uses */
    protected static String uniqueNamespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** @return a durable name no other test uses */
    protected static String uniqueDurableName() {
        return "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Subscribes and closes the subscription after the test. */
    protected Subscription subscribe(String pattern, SubscriptionFilter filter, dev.aether.EventHandler handler,
                                     SubscriptionOptions options) {
        Subscription subscription = subscriptions.subscribe(pattern, filter, handler, options);
        opened.add(subscription);
        return subscription;
    }

    /** Saves an event of the given type, actor and version in a namespace. */
    protected Event save(String namespace, String type, String actor, long version) {
        Event event = Event.builder().eventType(type).actorId(actor).version(version)
                .data(Map.of("v", version)).build();
        store(namespace).saveEvent(event);
        return event;
    }

    /** Saves one batch of events of an actor, versions {@code firstVersion} upwards, one event per type. */
    protected List<Event> saveBatch(String namespace, String actor, long firstVersion, String... types) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            batch.add(Event.builder().eventType(types[i]).actorId(actor).version(firstVersion + i)
                    .data(Map.of("v", firstVersion + i)).build());
        }
        store(namespace).saveEvents(batch);
        return batch;
    }

    private static String key(Event e) {
        return e.actorId() + "@" + e.version();
    }

    @Test
    void deliversEventsSavedAfterSubscribingButNotBefore() {
        String ns = uniqueNamespace();
        save(ns, "Before", "a", 1);
        List<String> received = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(n + ":" + e.eventType()),
                SubscriptionOptions.defaults());
        save(ns, "After", "a", 2);
        save(ns, "Marker", "a", 3);
        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).containsExactly(ns + ":After", ns + ":Marker");
    }

    @Test
    void startsFromTheBeginningOrFromAPositionWhenAsked() {
        String ns = uniqueNamespace();
        for (int v = 1; v <= 5; v++) {
            save(ns, "T", "a", v);
        }
        List<Long> fromStart = new CopyOnWriteArrayList<>();
        List<Long> fromThree = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> fromStart.add(e.version()),
                SubscriptionOptions.builder().startPosition(StartPosition.beginning()).build());
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> fromThree.add(e.version()),
                SubscriptionOptions.builder().startPosition(StartPosition.at(3)).build());
        await().atMost(TIMEOUT).until(() -> fromStart.size() == 5 && fromThree.size() == 3);
        assertThat(fromStart).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(fromThree).containsExactly(3L, 4L, 5L);
    }

    @Test
    void keepsNamespacesApart() {
        String root = uniqueNamespace();
        store(root + ".tenant-a.orders");
        store(root + ".tenant-b.orders");
        store(root + ".tenant-a");
        List<String> received = new CopyOnWriteArrayList<>();
        subscribe(root + ".tenant-a.*", SubscriptionFilter.all(), (n, e) -> received.add(n + ":" + e.eventType()),
                SubscriptionOptions.builder().startPosition(StartPosition.beginning()).build());

        save(root + ".tenant-b.orders", "OtherTenant", "x", 1);
        save(root + ".tenant-a", "ParentNamespace", "x", 1);
        save(root + ".tenant-a.orders", "Mine", "x", 1);

        await().atMost(TIMEOUT).until(() -> received.contains(root + ".tenant-a.orders:Mine"));
        save(root + ".tenant-b.orders", "Marker", "x", 2);
        save(root + ".tenant-a.orders", "Marker", "x", 2);
        await().atMost(TIMEOUT).until(() -> received.size() >= 2);
        assertThat(received).containsExactly(root + ".tenant-a.orders:Mine", root + ".tenant-a.orders:Marker");
    }

    @Test
    void aTrailingWildcardReadsEveryNamespaceBelowItsPrefixButNotThePrefixItself() {
        String root = uniqueNamespace();
        String other = uniqueNamespace();
        for (String ns : List.of(root, root + ".eu", root + ".eu.fr", other + ".eu")) {
            store(ns);
        }
        List<String> received = new CopyOnWriteArrayList<>();
        subscribe(root + ".>", SubscriptionFilter.all(), (n, e) -> received.add(n),
                SubscriptionOptions.builder().startPosition(StartPosition.beginning()).build());

        save(root, "Parent", "x", 1);
        save(other + ".eu", "OtherRoot", "x", 1);
        save(root + ".eu", "Child", "x", 1);
        save(root + ".eu.fr", "Grandchild", "x", 1);

        await().atMost(TIMEOUT).until(() -> received.size() >= 2);
        save(root, "Marker", "x", 2);
        save(other + ".eu", "Marker", "x", 2);
        save(root + ".eu", "Marker", "x", 2);
        await().atMost(TIMEOUT).until(() -> received.size() >= 3);
        assertThat(received).containsExactlyInAnyOrder(root + ".eu", root + ".eu.fr", root + ".eu");
    }

    @Test
    void filtersByEventTypeAndActorWithoutHoldingUpOtherEvents() {
        String ns = uniqueNamespace();
        List<String> received = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.eventTypes("Wanted").withActorPattern("eu.*"),
                (n, e) -> received.add(key(e)), SubscriptionOptions.defaults());
        save(ns, "Unwanted", "eu.1", 1);
        save(ns, "Wanted", "us.1", 1);
        save(ns, "Wanted", "eu.1", 2);
        await().atMost(TIMEOUT).until(() -> !received.isEmpty());
        save(ns, "Wanted", "eu.1", 3);
        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).containsExactly("eu.1@2", "eu.1@3");
    }

    @Test
    void aStoppedDurableSubscriptionResumesAfterItsLastAcknowledgedEventWithPerActorOrder() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        SubscriptionOptions options = SubscriptionOptions.builder().durableName(durable).build();
        List<Event> firstRun = new CopyOnWriteArrayList<>();
        Subscription first = subscribe(ns, SubscriptionFilter.all(), (n, e) -> firstRun.add(e), options);
        for (int v = 1; v <= 10; v++) {
            save(ns, "Warm", "warm-up", v);
        }
        await().atMost(TIMEOUT).until(() -> firstRun.size() == 10);
        first.close();

        for (int v = 1; v <= 20; v++) {
            for (int actor = 0; actor < 50; actor++) {
                save(ns, "Tick", "actor-" + actor, v);
            }
        }
        List<Event> secondRun = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> secondRun.add(e), options);

        await().atMost(TIMEOUT).until(() -> secondRun.size() >= 1_000);
        assertThat(secondRun).hasSize(1_000);
        assertThat(secondRun).noneMatch(e -> e.actorId().equals("warm-up"));
        Map<String, List<Long>> byActor = secondRun.stream().collect(Collectors.groupingBy(Event::actorId,
                Collectors.mapping(Event::version, Collectors.toList())));
        assertThat(byActor).hasSize(50);
        List<Long> oneToTwenty = new ArrayList<>();
        for (long v = 1; v <= 20; v++) {
            oneToTwenty.add(v);
        }
        byActor.forEach((actor, versions) -> assertThat(versions).as(actor).containsExactlyElementsOf(oneToTwenty));
    }

    @Test
    void retriesAFailingEventThenParksItWhileOtherEventsKeepFlowing() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        AtomicInteger poisonCalls = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            if (e.actorId().equals("poison") && e.version() == 1) {
                poisonCalls.incrementAndGet();
                throw new IllegalStateException("cannot project " + key(e));
            }
            handled.add(key(e));
        }, fastRetries().durableName(durable).build());

        save(ns, "T", "poison", 1);
        save(ns, "T", "poison", 2);
        for (int i = 0; i < 10; i++) {
            save(ns, "T", "healthy-" + i, 1);
        }

        await().atMost(TIMEOUT).until(() -> handled.size() == 11);
        assertThat(poisonCalls).hasValue(3);
        assertThat(handled).contains("poison@2").doesNotContain("poison@1");
        List<ParkedEvent> parked = parkedEvents(durable);
        assertThat(parked).hasSize(1);
        ParkedEvent event = parked.get(0);
        assertThat(event.subscription()).isEqualTo(durable);
        assertThat(event.namespace()).isEqualTo(ns);
        assertThat(key(event.event())).isEqualTo("poison@1");
        assertThat(event.deliveries()).isEqualTo(3);
        assertThat(event.failure()).contains("IllegalStateException").contains("cannot project poison@1");
    }

    @Test
    void parkedEventsAreListedCountedAndReplayedInOrderOnceTheHandlerIsFixed() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        AtomicBoolean broken = new AtomicBoolean(true);
        List<String> handled = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            if (broken.get() && e.actorId().startsWith("poison")) {
                throw new IllegalStateException("cannot project " + key(e));
            }
            handled.add(key(e));
        }, fastRetries().durableName(durable).build());
        save(ns, "T", "poison-a", 1);
        save(ns, "T", "poison-a", 2);
        save(ns, "T", "poison-b", 1);
        save(ns, "T", "healthy", 1);
        await().atMost(TIMEOUT).until(() -> parkedEvents(durable).size() == 3);
        assertThat(parkedEvents(durable)).extracting(p -> key(p.event()))
                .containsExactlyInAnyOrder("poison-a@1", "poison-a@2", "poison-b@1");
        assertThat(parking().parkedCount(durable)).isEqualTo(3);
        assertThat(handled).containsExactly("healthy@1");

        broken.set(false);
        assertThat(parking().replayParked(durable)).isEqualTo(3);

        await().atMost(TIMEOUT).until(() -> handled.size() == 4);
        assertThat(handled.subList(1, 4)).containsExactlyInAnyOrder("poison-a@1", "poison-a@2", "poison-b@1");
        assertThat(handled.indexOf("poison-a@1")).isLessThan(handled.indexOf("poison-a@2"));
        await().atMost(TIMEOUT).until(() -> parkedEvents(durable).isEmpty());
        assertThat(parking().parkedCount(durable)).isZero();
    }

    @Test
    void aReplayedEventThatFailsAgainIsParkedAgainWithItsNewFailure() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        AtomicInteger calls = new AtomicInteger();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            throw new IllegalStateException("still broken, call " + calls.incrementAndGet());
        }, fastRetries().durableName(durable).build());
        save(ns, "T", "poison", 1);
        await().atMost(TIMEOUT).until(() -> parkedEvents(durable).size() == 1);
        ParkedEvent first = parkedEvents(durable).get(0);

        assertThat(parking().replayParked(durable, first.id())).isTrue();

        await().atMost(TIMEOUT).until(() -> calls.get() == 6 && parkedEvents(durable).size() == 1
                && parkedEvents(durable).get(0).id() != first.id());
        ParkedEvent again = parkedEvents(durable).get(0);
        assertThat(again.event()).isEqualTo(first.event());
        assertThat(again.namespace()).isEqualTo(ns);
        assertThat(again.position()).isEqualTo(first.position());
        assertThat(again.deliveries()).isEqualTo(3);
        assertThat(again.failure()).contains("still broken, call 6");
        assertThat(parking().replayParked(durable, first.id())).as("the old id is gone").isFalse();
    }

    @Test
    void discardRemovesOneParkedEventByIdOrAllOfThem() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            throw new IllegalStateException("broken");
        }, fastRetries().maxDeliveries(1).durableName(durable).build());
        save(ns, "T", "a", 1);
        save(ns, "T", "b", 1);
        save(ns, "T", "c", 1);
        await().atMost(TIMEOUT).until(() -> parkedEvents(durable).size() == 3);
        long firstId = parkedEvents(durable).get(0).id();

        assertThat(parking().discardParked(durable, firstId)).isTrue();
        assertThat(parking().discardParked(durable, firstId)).isFalse();
        assertThat(parking().discardParked(uniqueDurableName(), parkedEvents(durable).get(0).id()))
                .as("another subscription's id").isFalse();
        assertThat(parkedEvents(durable)).extracting(p -> p.event().actorId()).containsExactly("b", "c");

        assertThat(parking().discardParked(durable)).isEqualTo(2);
        assertThat(parkedEvents(durable)).isEmpty();
        assertThat(parking().parkedCount(durable)).isZero();
    }

    @Test
    void replayingNeedsARunningSubscriptionOfThatName() {
        assertThatThrownBy(() -> parking().replayParked("nobody-here")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'nobody-here'");
        assertThatThrownBy(() -> parking().parkedEvents("a.>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subscription 'a.>'");
    }

    @Test
    void deliversTheEventsOfABatchOneByOneInVersionOrder() {
        String ns = uniqueNamespace();
        List<Event> received = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(e),
                SubscriptionOptions.builder().durableName(uniqueDurableName()).build());

        List<Event> first = saveBatch(ns, "order-1", 1, "OrderPlaced", "StockReserved", "PaymentRequested");
        Event single = save(ns, "OrderShipped", "order-1", 4);
        List<Event> second = saveBatch(ns, "order-1", 5, "OrderDelivered", "OrderClosed");

        await().atMost(TIMEOUT).until(() -> received.size() >= 6);
        List<Event> expected = new ArrayList<>(first);
        expected.add(single);
        expected.addAll(second);
        assertThat(received).containsExactlyElementsOf(expected);
    }

    @Test
    void filtersTheEventsOfABatchOneByOne() {
        String ns = uniqueNamespace();
        List<String> received = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.eventTypes("StockReserved", "Marker"), (n, e) -> received.add(key(e)),
                SubscriptionOptions.defaults());

        saveBatch(ns, "order-1", 1, "OrderPlaced", "StockReserved", "PaymentRequested");
        saveBatch(ns, "order-1", 4, "OrderPlaced", "PaymentRequested");
        save(ns, "Marker", "order-1", 6);

        await().atMost(TIMEOUT).until(() -> received.size() >= 2);
        assertThat(received).containsExactly("order-1@2", "order-1@6");
    }

    @Test
    void aFailingEventInsideABatchIsRetriedAndParkedOnItsOwnWhileTheLaterEventsStillArrive() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        AtomicInteger failingCalls = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            if (key(e).equals("order-1@2")) {
                failingCalls.incrementAndGet();
                throw new IllegalStateException("cannot project " + key(e));
            }
            handled.add(key(e));
        }, fastRetries().durableName(durable).build());

        saveBatch(ns, "order-1", 1, "OrderPlaced", "StockReserved", "PaymentRequested");
        save(ns, "OrderShipped", "order-1", 4);

        await().atMost(TIMEOUT).until(() -> handled.size() >= 3);
        assertThat(handled).containsExactly("order-1@1", "order-1@3", "order-1@4");
        assertThat(failingCalls).hasValue(3);
        assertThat(parkedEvents(durable)).singleElement().satisfies(parked -> {
            assertThat(key(parked.event())).isEqualTo("order-1@2");
            assertThat(parked.event().eventType()).isEqualTo("StockReserved");
            assertThat(parked.deliveries()).isEqualTo(3);
            assertThat(parked.failure()).contains("cannot project order-1@2");
        });
    }

    @Test
    void aStoppedDurableSubscriptionDoesNotGetAFullyHandledBatchAgain() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        SubscriptionOptions options = SubscriptionOptions.builder().durableName(durable).build();
        List<String> firstRun = new CopyOnWriteArrayList<>();
        Subscription first = subscribe(ns, SubscriptionFilter.all(), (n, e) -> firstRun.add(key(e)), options);
        saveBatch(ns, "a", 1, "T", "T", "T");
        await().atMost(TIMEOUT).until(() -> firstRun.size() == 3);
        first.close();

        saveBatch(ns, "a", 4, "T", "T");
        List<String> secondRun = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> secondRun.add(key(e)), options);

        await().atMost(TIMEOUT).until(() -> secondRun.size() >= 2);
        assertThat(firstRun).containsExactly("a@1", "a@2", "a@3");
        assertThat(secondRun).containsExactly("a@4", "a@5");
    }

    @Test
    void anErrorThrownByTheHandlerIsRetriedAndParkedLikeAnException() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        List<String> handled = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            if (e.version() == 1) {
                throw new AssertionError("broken invariant");
            }
            handled.add(key(e));
        }, fastRetries().durableName(durable).build());

        save(ns, "T", "a", 1);
        save(ns, "T", "a", 2);

        await().atMost(TIMEOUT).until(() -> handled.size() == 1);
        assertThat(handled).containsExactly("a@2");
        assertThat(parkedEvents(durable)).singleElement()
                .satisfies(p -> assertThat(p.failure()).isEqualTo("java.lang.AssertionError: broken invariant"));
    }

    @Test
    void aRetriedEventHoldsBackOnlyItsOwnActor() {
        String ns = uniqueNamespace();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<String> handled = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            if (key(e).equals("slow@1") && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("not yet");
            }
            handled.add(key(e));
        }, fastRetries().retryBackoff(Duration.ofMillis(500)).maxRetryBackoff(Duration.ofMillis(500)).build());

        for (int v = 1; v <= 3; v++) {
            save(ns, "T", "slow", v);
        }
        for (int v = 1; v <= 3; v++) {
            save(ns, "T", "fast", v);
        }

        await().atMost(TIMEOUT).until(() -> handled.size() == 6);
        assertThat(handled.stream().filter(k -> k.startsWith("slow"))).containsExactly("slow@1", "slow@2", "slow@3");
        assertThat(handled.stream().filter(k -> k.startsWith("fast"))).containsExactly("fast@1", "fast@2", "fast@3");
        assertThat(handled.indexOf("fast@3")).isLessThan(handled.indexOf("slow@1"));
    }

    @Test
    void subscriptionsSharingADurableNameShareTheWork() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        store(ns);
        SubscriptionOptions options = SubscriptionOptions.builder().durableName(durable).build();
        Map<String, Integer> handledBy = new ConcurrentHashMap<>();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        Set<Integer> workers = ConcurrentHashMap.newKeySet();
        for (int worker = 1; worker <= 2; worker++) {
            int id = worker;
            subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
                workers.add(id);
                if (handledBy.putIfAbsent(key(e), id) != null) {
                    duplicates.add(key(e));
                }
            }, options);
        }
        for (int v = 1; v <= 10; v++) {
            for (int actor = 0; actor < 20; actor++) {
                save(ns, "T", "actor-" + actor, v);
            }
        }
        await().atMost(TIMEOUT).until(() -> handledBy.size() == 200);
        assertThat(duplicates).isEmpty();
        assertThat(workers).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void closingASubscriptionEndsItsThreadsAndStopsDelivery() {
        String ns = uniqueNamespace();
        String durable = uniqueDurableName();
        List<String> received = new CopyOnWriteArrayList<>();
        Subscription subscription = subscribe(ns, SubscriptionFilter.all(), (n, e) -> received.add(key(e)),
                SubscriptionOptions.builder().durableName(durable).build());
        save(ns, "T", "a", 1);
        await().atMost(TIMEOUT).until(() -> received.size() == 1);

        subscription.close();
        subscription.close();

        await().atMost(TIMEOUT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().contains(durable)));
        save(ns, "T", "a", 2);
        List<String> other = new CopyOnWriteArrayList<>();
        subscribe(ns, SubscriptionFilter.all(), (n, e) -> other.add(key(e)),
                SubscriptionOptions.builder().startPosition(StartPosition.beginning()).build());
        await().atMost(TIMEOUT).until(() -> other.size() == 2);
        assertThat(received).containsExactly("a@1");
    }

    @Test
    void refusesBadArguments() {
        SubscriptionOptions options = SubscriptionOptions.defaults();
        assertThatThrownBy(() -> subscriptions.subscribe("orders.>.eu", SubscriptionFilter.all(), (n, e) -> { },
                options)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespacePattern");
        assertThatThrownBy(() -> subscriptions.subscribe("orders", null, (n, e) -> { }, options))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("filter");
        assertThatThrownBy(() -> subscriptions.subscribe("orders", SubscriptionFilter.all(), null, options))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("handler");
        assertThatThrownBy(() -> subscriptions.subscribe("orders", SubscriptionFilter.all(), (n, e) -> { }, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
    }

    /**
     * @param namespace a namespace
     * @return {@link #store(String)} as a {@link SnapshotStore}, which the typed-events tests need
     */
    protected SnapshotStore snapshotStore(String namespace) {
        EventStore store = store(namespace);
        if (!(store instanceof SnapshotStore snapshots)) {
            throw new IllegalStateException("The typed-events tests need a SnapshotStore: override snapshotStore"
                    + " to give one whose saves reach the subscriptions (store gave a " + store.getClass().getName() + ")");
        }
        return snapshots;
    }

    /** {@link TypedEventsContract}, on these subscriptions and their stores. */
    @Nested
    class TypedEvents extends TypedEventsContract {

        @Override
        protected Subscription subscribe(String pattern, SubscriptionFilter filter, EventHandler handler,
                                         SubscriptionOptions options) {
            return EventSubscriptionsContract.this.subscribe(pattern, filter, handler, options);
        }

        @Override
        protected EventSubscriptions subscriptions() {
            return subscriptions;
        }

        @Override
        protected SnapshotStore store(String namespace) {
            return snapshotStore(namespace);
        }
    }
}
