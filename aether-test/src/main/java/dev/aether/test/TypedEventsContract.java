package dev.aether.test;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.SnapshotStore;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.snapshot.ActorLoader;
import dev.aether.snapshot.LoadedActor;
import dev.aether.snapshot.SnapshotPolicy;
import dev.aether.typed.EventTypes;
import dev.aether.upcast.EventUpcaster;
import dev.aether.upcast.SchemaVersion;
import dev.aether.upcast.UpcasterChain;
import dev.aether.upcast.UpcastingEventStore;
import dev.aether.upcast.UpcastingEventSubscriptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The typed-event primitives on a real store: upcasting on read and in durable subscriptions, typed
 * handlers, and {@link ActorLoader}'s snapshots by policy. {@link EventSubscriptionsContract} runs it as
 * a nested class on its own fixtures, so every subscriptions implementation passes it too.
 */
public abstract class TypedEventsContract {

    /** How long a test waits for deliveries. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Version 1 of a deposit was {@code Deposited {amount}} in whole euros. */
    private static final EventUpcaster RENAME_AND_ADD_CURRENCY = EventUpcaster.renaming("Deposited", 1,
            "MoneyDeposited", data -> with(data, "currency", "EUR"));
    /** Version 3 holds cents. */
    private static final EventUpcaster TO_CENTS = EventUpcaster.of("MoneyDeposited", 2,
            data -> with(data, "amount", ((Number) data.get("amount")).longValue() * 100));
    private static final UpcasterChain CHAIN = UpcasterChain.of(List.of(TO_CENTS, RENAME_AND_ADD_CURRENCY));

    /** Today's shape of a deposit. */
    public record MoneyDeposited(long amount, String currency) {
    }

    /** An account's state, version 1 of its shape. */
    public record Balance(long cents) {
    }

    /** An account's state, version 2 of its shape. */
    public record BalanceWithCount(long cents, int deposits) {
    }

    /**
     * Starts a subscription that is closed after the test.
     *
     * @param pattern the namespace pattern
     * @param filter  the filter
     * @param handler the handler
     * @param options the options
     * @return the subscription
     */
    protected abstract Subscription subscribe(String pattern, SubscriptionFilter filter, EventHandler handler,
                                              SubscriptionOptions options);

    /**
     * @return the subscriptions under test, whose subscriptions {@link #subscribe} closes after the test
     */
    protected abstract EventSubscriptions subscriptions();

    /**
     * @param namespace a namespace
     * @return a store of that namespace whose saves reach {@link #subscriptions()}
     */
    protected abstract SnapshotStore store(String namespace);

    private static Map<String, Object> with(Map<String, Object> data, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(data);
        copy.put(key, value);
        return copy;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static Event depositedV1(String actorId, long version, int euros) {
        return Event.builder().eventType("Deposited").actorId(actorId).version(version)
                .data(Map.of("amount", euros)).build();
    }

    @Test
    void getEventsReadsAnEventStoredAtSchemaVersionOneAsVersionThree() {
        SnapshotStore stored = store(unique("t"));
        SnapshotStore upcasting = UpcastingEventStore.wrap(stored, CHAIN);
        stored.saveEvent(depositedV1("account-1", 1, 5));
        stored.saveEvent(SchemaVersion.stamp(Event.builder(), 3).eventType("MoneyDeposited").actorId("account-1")
                .version(2).data(new MoneyDeposited(250, "EUR")).build());

        List<Event> read = upcasting.getEvents("account-1", 0);

        assertThat(read).extracting(Event::eventType).containsExactly("MoneyDeposited", "MoneyDeposited");
        assertThat(read).extracting(event -> event.dataAs(MoneyDeposited.class))
                .containsExactly(new MoneyDeposited(500, "EUR"), new MoneyDeposited(250, "EUR"));
        assertThat(read).extracting(SchemaVersion::of).containsExactly(3, 3);
        assertThat(upcasting.getLatestVersion("account-1")).isEqualTo(2);
        Event asStored = stored.getEvents("account-1", 0).get(0);
        assertThat(asStored.eventType()).isEqualTo("Deposited");
        assertThat(asStored.data()).isEqualTo(Map.of("amount", 5));
        assertThat(asStored.metadata()).doesNotContainKey(SchemaVersion.KEY);
    }

    @Test
    void aDurableSubscriptionReceivesAnEventStoredAtSchemaVersionOneAsVersionThree() {
        String ns = unique("t");
        SnapshotStore stored = store(ns);
        stored.saveEvent(depositedV1("account-1", 1, 5));
        List<Event> received = new CopyOnWriteArrayList<>();
        EventSubscriptions upcasting = new UpcastingEventSubscriptions(subscriptions(), CHAIN);
        Subscription subscription = upcasting.subscribe(ns, SubscriptionFilter.eventTypes("MoneyDeposited"),
                (namespace, event) -> received.add(event),
                SubscriptionOptions.builder().durableName(unique("d")).startPosition(StartPosition.beginning()).build());

        try {
            await().atMost(TIMEOUT).until(() -> received.size() == 1);
        } finally {
            subscription.close();
        }
        assertThat(received.get(0).eventType()).isEqualTo("MoneyDeposited");
        assertThat(SchemaVersion.of(received.get(0))).isEqualTo(3);
        assertThat(received.get(0).dataAs(MoneyDeposited.class)).isEqualTo(new MoneyDeposited(500, "EUR"));
    }

    @Test
    void aTypedHandlerReceivesTheRecord() {
        String ns = unique("t");
        EventTypes types = EventTypes.builder().register(MoneyDeposited.class).build();
        List<MoneyDeposited> received = new CopyOnWriteArrayList<>();
        subscribe(ns, types.filterFor(MoneyDeposited.class),
                types.handler(MoneyDeposited.class, (deposited, event) -> received.add(deposited)),
                SubscriptionOptions.builder().durableName(unique("d")).startPosition(StartPosition.beginning()).build());

        store(ns).saveEvent(types.eventFor(new MoneyDeposited(700, "EUR")).actorId("account-1").version(1).build());

        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        assertThat(received).containsExactly(new MoneyDeposited(700, "EUR"));
    }

    private static void deposit(SnapshotStore store, String actorId, long version, long cents) {
        store.saveEvent(Event.builder().eventType("MoneyDeposited").actorId(actorId).version(version)
                .data(new MoneyDeposited(cents, "EUR")).build());
    }

    private static ActorLoader.Builder<Balance> balances(SnapshotStore store) {
        return ActorLoader.builder(store, Balance.class).initialState(id -> new Balance(0))
                .fold((balance, event) -> new Balance(balance.cents() + event.dataAs(MoneyDeposited.class).amount()));
    }

    @Test
    void loadStartsFromTheLatestSnapshotAndFoldsOnlyTheEventsAfterIt() {
        SnapshotStore store = store(unique("t"));
        for (int version = 1; version <= 5; version++) {
            deposit(store, "account-1", version, 100);
        }
        ActorLoader<Balance> loader = balances(store).policy(SnapshotPolicy.everyEvents(5)).build();

        LoadedActor<Balance> first = loader.load("account-1");
        deposit(store, "account-1", 6, 100);
        LoadedActor<Balance> second = loader.load("account-1");

        assertThat(first).isEqualTo(new LoadedActor<>("account-1", new Balance(500), 5, 5, 5));
        assertThat(second).isEqualTo(new LoadedActor<>("account-1", new Balance(600), 6, 5, 1));
        assertThat(loader.load("account-unknown")).isEqualTo(new LoadedActor<>("account-unknown", new Balance(0), 0, 0, 0));
    }

    @Test
    void aStaleSnapshotIsIgnoredAndReplacedOnTheNextSave() {
        SnapshotStore store = store(unique("t"));
        for (int version = 1; version <= 4; version++) {
            deposit(store, "account-1", version, 100);
        }
        balances(store).policy(SnapshotPolicy.everyEvents(1)).build().load("account-1");
        deposit(store, "account-1", 5, 100);
        ActorLoader<BalanceWithCount> changed = ActorLoader.builder(store, BalanceWithCount.class).stateVersion(2)
                .initialState(id -> new BalanceWithCount(0, 0))
                .fold((state, event) -> new BalanceWithCount(
                        state.cents() + event.dataAs(MoneyDeposited.class).amount(), state.deposits() + 1))
                .policy(SnapshotPolicy.everyEvents(5)).build();

        LoadedActor<BalanceWithCount> loaded = changed.load("account-1");

        assertThat(loaded.state()).isEqualTo(new BalanceWithCount(500, 5));
        assertThat(loaded.eventsReplayed()).isEqualTo(5);
        assertThat(store.getLatestSnapshot("account-1")).get()
                .extracting(ActorSnapshot::version, snapshot -> snapshot.state().get(ActorLoader.STATE_VERSION))
                .containsExactly(5L, 2);
        assertThat(changed.load("account-1")).isEqualTo(new LoadedActor<>("account-1", new BalanceWithCount(500, 5), 5, 5, 0));
    }

    @Test
    void aSnapshotNotWrittenByTheLoaderIsIgnored() {
        SnapshotStore store = store(unique("t"));
        deposit(store, "account-1", 1, 100);
        store.saveSnapshot(new ActorSnapshot("account-1", 1, Map.of("cents", 999_999)));

        assertThat(balances(store).policy(SnapshotPolicy.never()).build().load("account-1").state())
                .isEqualTo(new Balance(100));
    }

    @Test
    void everyEventsSavesAtTheRightVersionsWhetherTheLoaderOrTheCallerSaves() {
        SnapshotStore store = store(unique("t"));
        ActorLoader<Balance> loader = balances(store).policy(SnapshotPolicy.everyEvents(3)).build();
        LoadedActor<Balance> account = loader.load("account-1");
        List<Long> snapshotVersions = new ArrayList<>();

        for (long version = 1; version <= 7; version++) {
            Event next = Event.builder().eventType("MoneyDeposited").actorId("account-1").version(version)
                    .data(new MoneyDeposited(100, "EUR")).build();
            account = version % 2 == 0 ? loader.append(account, List.of(next))
                    : afterSavingItself(store, loader, account, next);
            store.getLatestSnapshot("account-1").map(ActorSnapshot::version)
                    .filter(saved -> !snapshotVersions.contains(saved)).ifPresent(snapshotVersions::add);
        }

        assertThat(snapshotVersions).containsExactly(3L, 6L);
        assertThat(account).isEqualTo(new LoadedActor<>("account-1", new Balance(700), 7, 6, 0));
        assertThat(loader.load("account-1")).isEqualTo(new LoadedActor<>("account-1", new Balance(700), 7, 6, 1));
    }

    private static LoadedActor<Balance> afterSavingItself(SnapshotStore store, ActorLoader<Balance> loader,
                                                          LoadedActor<Balance> account, Event next) {
        store.saveEvent(next);
        return loader.afterSave(account, List.of(next));
    }

    @Test
    void aSlowReplaySavesASnapshotWhenThePolicyAsksForIt() {
        SnapshotStore store = store(unique("t"));
        deposit(store, "account-1", 1, 100);
        deposit(store, "account-1", 2, 100);
        AtomicLong nanos = new AtomicLong();
        ActorLoader<Balance> loader = balances(store)
                .policy(SnapshotPolicy.whenReplayTookLongerThan(Duration.ofMillis(100)))
                .nanoTime(() -> nanos.getAndAdd(Duration.ofMillis(60).toNanos())).build();
        ActorLoader<Balance> slower = balances(store)
                .policy(SnapshotPolicy.whenReplayTookLongerThan(Duration.ofMillis(100)))
                .nanoTime(() -> nanos.getAndAdd(Duration.ofMillis(150).toNanos())).build();

        assertThat(loader.load("account-1").snapshotVersion()).isZero();
        assertThat(store.getLatestSnapshot("account-1")).isEmpty();
        assertThat(slower.load("account-1").snapshotVersion()).isEqualTo(2);
        assertThat(store.getLatestSnapshot("account-1")).get().extracting(ActorSnapshot::version).isEqualTo(2L);
    }
}
