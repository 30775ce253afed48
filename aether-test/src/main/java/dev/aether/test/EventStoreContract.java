package dev.aether.test;

import dev.aether.ActorId;
import dev.aether.DuplicateEventIdException;
import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.VersionConflictException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules every {@link EventStore} keeps. Extend it, implement {@link #createStore()}, and run it
 * with JUnit 5. Every test uses actor ids of its own, so a store may be shared between tests.
 */
public abstract class EventStoreContract {

    /** The store under test, created before each test. */
    protected EventStore store;

    /** @return the store to test; called before each test */
    protected abstract EventStore createStore();

    /**
     * A second store over the same events as {@link #store}, as another process would open it. Stores
     * whose events only one instance can reach (the in-memory store) return {@link #store} itself.
     *
     * @return another instance on the same data
     */
    protected EventStore createSecondStore() {
        return store;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }

    /**
     * @param hint a readable prefix
     * @return an actor id no other test uses
     */
    protected static String uniqueActorId(String hint) {
        return hint + "-" + UUID.randomUUID();
    }

    /**
     * @return an event of type {@code TestEvent} with a small payload
     */
    protected static Event event(String actorId, long version) {
        return Event.builder().eventType("TestEvent").actorId(actorId).version(version)
                .data(Map.of("n", version)).build();
    }

    @Test
    void savesEventsAndReadsThemBackInVersionOrder() {
        String actor = uniqueActorId("order");
        Instant timestamp = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Event first = Event.builder().id("e-1").eventType("OrderPlaced").actorId(actor).version(1)
                .data(Map.of("total", 42, "lines", List.of(Map.of("sku", "A-1", "qty", 2)), "paid", false))
                .metadata("source", "test").correlationId("corr-1").causationId("cause-1").userId("user-7")
                .traceId("trace-1").spanId("span-1").timestamp(timestamp).build();
        Event second = event(actor, 2);

        store.saveEvent(first);
        store.saveEvent(second);

        List<Event> events = store.getEvents(actor, 0);
        assertThat(events).containsExactly(first, second);
        assertThat(events.get(0).correlationId()).contains("corr-1");
        assertThat(store.getLatestVersion(actor)).isEqualTo(2);
    }

    @Test
    void anUnknownActorHasVersionZeroAndNoEvents() {
        String actor = uniqueActorId("nobody");
        assertThat(store.getLatestVersion(actor)).isZero();
        assertThat(store.getEvents(actor, 0)).isEmpty();
        assertThat(store.getEvents(actor, 1)).isEmpty();
    }

    @Test
    void rejectsAVersionThatIsNotAboveTheLatestAndStoresNothing() {
        String actor = uniqueActorId("account");
        store.saveEvent(event(actor, 1));
        store.saveEvent(event(actor, 2));

        Event sameVersion = event(actor, 2);
        assertThatThrownBy(() -> store.saveEvent(sameVersion))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.actorId()).isEqualTo(actor);
                    assertThat(e.attemptedVersion()).isEqualTo(2);
                    assertThat(e.currentVersion()).isEqualTo(2);
                    assertThat(e).hasMessageContaining(actor);
                });
        Event lowerVersion = event(actor, 1);
        assertThatThrownBy(() -> store.saveEvent(lowerVersion))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.attemptedVersion()).isEqualTo(1);
                    assertThat(e.currentVersion()).isEqualTo(2);
                });

        assertThat(store.getEvents(actor, 0)).extracting(Event::id).doesNotContain(sameVersion.id(), lowerVersion.id());
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L, 2L);
        assertThat(store.getLatestVersion(actor)).isEqualTo(2);
    }

    @Test
    void allowsGapsBetweenVersions() {
        String actor = uniqueActorId("gappy");
        store.saveEvent(event(actor, 1));
        store.saveEvent(event(actor, 5));

        assertThat(store.getLatestVersion(actor)).isEqualTo(5);
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L, 5L);
        assertThat(store.getEvents(actor, 2)).extracting(Event::version).containsExactly(5L);
        assertThatThrownBy(() -> store.saveEvent(event(actor, 4))).isInstanceOf(VersionConflictException.class);
    }

    @Test
    void readsFromAnyVersionBound() {
        String actor = uniqueActorId("bounds");
        for (long v = 1; v <= 10; v++) {
            store.saveEvent(event(actor, v));
        }
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactlyElementsOf(range(1, 10));
        assertThat(store.getEvents(actor, 1)).extracting(Event::version).containsExactlyElementsOf(range(1, 10));
        assertThat(store.getEvents(actor, 6)).extracting(Event::version).containsExactlyElementsOf(range(6, 10));
        assertThat(store.getEvents(actor, 10)).extracting(Event::version).containsExactly(10L);
        assertThat(store.getEvents(actor, 11)).isEmpty();
        assertThat(store.getEvents(actor, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void keepsActorsApartEvenWhenTheirIdsSharePrefixesOrContainDots() {
        String base = uniqueActorId("order");
        List<String> actors = List.of(base, base + "-1", base + ".1", base + ".>", base + ".*", base + " 1",
                base + ".1.2");
        for (int i = 0; i < actors.size(); i++) {
            for (long v = 1; v <= i + 1; v++) {
                store.saveEvent(event(actors.get(i), v));
            }
        }
        for (int i = 0; i < actors.size(); i++) {
            String actor = actors.get(i);
            assertThat(store.getLatestVersion(actor)).as(actor).isEqualTo(i + 1);
            assertThat(store.getEvents(actor, 0)).as(actor).hasSize(i + 1).allSatisfy(e -> assertThat(e.actorId()).isEqualTo(actor));
        }
    }

    @Test
    void returnedEventsAndListsCannotBeChanged() {
        String actor = uniqueActorId("frozen");
        store.saveEvent(event(actor, 1));
        List<Event> events = store.getEvents(actor, 0);

        assertThatThrownBy(() -> events.add(event(actor, 2))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> events.get(0).data().put("n", 99)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> events.get(0).metadata().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);

        store.saveEvent(event(actor, 2));
        assertThat(events).hasSize(1);
        assertThat(store.getEvents(actor, 0)).hasSize(2);
    }

    @Test
    void refusesANullEvent() {
        assertThatThrownBy(() -> store.saveEvent(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("event");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void refusesBlankActorIdsOnReads(String actorId) {
        assertThatThrownBy(() -> store.getLatestVersion(actorId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId");
        assertThatThrownBy(() -> store.getEvents(actorId, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId");
    }

    @Test
    void refusesNullAndTooLongActorIdsAndNegativeVersionsOnReads() {
        String tooLong = "a".repeat(ActorId.MAX_LENGTH + 1);
        assertThatThrownBy(() -> store.getLatestVersion(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("actorId");
        assertThatThrownBy(() -> store.getEvents(tooLong, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId").hasMessageContaining(String.valueOf(ActorId.MAX_LENGTH));
        assertThatThrownBy(() -> store.getEvents(uniqueActorId("x"), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fromVersion");
    }

    /** Shrunk from a property counterexample: an id with a lone surrogate half has no exact UTF-8 form. */
    @Test
    void refusesAnActorIdWithAnUnpairedSurrogateOnReads() {
        assertThatThrownBy(() -> store.getLatestVersion("\u01A3\uD800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId").hasMessageContaining("well-formed Unicode");
        assertThatThrownBy(() -> store.getEvents("\uDFFF", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId").hasMessageContaining("well-formed Unicode");
    }

    @Test
    void storesAnActorIdOfTheMaximumLength() {
        String actor = (uniqueActorId("long") + "x".repeat(ActorId.MAX_LENGTH)).substring(0, ActorId.MAX_LENGTH);
        store.saveEvent(event(actor, 1));
        assertThat(store.getEvents(actor, 0)).singleElement().extracting(Event::actorId).isEqualTo(actor);
    }

    /**
     * Sixteen writers loop "read latest, save latest + 1" on one actor until 200 saves succeeded.
     * The stream must read back as versions 1..N with no gap or duplicate, and every conflict must
     * report a current version at or above the attempted one.
     */
    @Test
    void concurrentWritersNeverBreakTheVersionSequence() throws Exception {
        String actor = uniqueActorId("contended");
        int writers = 16;
        int target = 200;
        AtomicInteger successes = new AtomicInteger();
        ConcurrentLinkedQueue<VersionConflictException> conflicts = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    while (successes.get() < target) {
                        long next = store.getLatestVersion(actor) + 1;
                        try {
                            store.saveEvent(event(actor, next));
                            successes.incrementAndGet();
                        } catch (VersionConflictException e) {
                            conflicts.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        int saved = successes.get();
        assertThat(saved).isGreaterThanOrEqualTo(target);
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactlyElementsOf(range(1, saved));
        assertThat(store.getLatestVersion(actor)).isEqualTo(saved);
        assertThat(conflicts).allSatisfy(e -> {
            assertThat(e.actorId()).isEqualTo(actor);
            assertThat(e.currentVersion()).isGreaterThanOrEqualTo(e.attemptedVersion());
        });
    }

    @Test
    void savesABatchWholeAndReadsItsEventsLikeSingleOnes() {
        String actor = uniqueActorId("batch");
        store.saveEvent(event(actor, 1));
        List<Event> batch = List.of(event(actor, 2), event(actor, 3), event(actor, 5));

        store.saveEvents(batch);
        store.saveEvent(event(actor, 6));

        assertThat(store.getLatestVersion(actor)).isEqualTo(6);
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L, 2L, 3L, 5L, 6L);
        assertThat(store.getEvents(actor, 2)).startsWith(batch.toArray(Event[]::new));
        assertThat(store.getEvents(actor, 3)).extracting(Event::version).containsExactly(3L, 5L, 6L);
        assertThat(store.getEvents(actor, 4)).extracting(Event::version).containsExactly(5L, 6L);
        store.saveEvents(List.of(event(actor, 7), event(actor, 8)));
        assertThat(store.getLatestVersion(actor)).isEqualTo(8);
        assertThat(store.getEvents(actor, 8)).extracting(Event::version).containsExactly(8L);
    }

    @Test
    void aBatchOfOneEventIsAnOrdinarySave() {
        String actor = uniqueActorId("one");
        Event only = event(actor, 1);
        store.saveEvents(List.of(only));
        assertThat(store.getEvents(actor, 0)).containsExactly(only);
        assertThat(store.getLatestVersion(actor)).isEqualTo(1);
    }

    @Test
    void refusesBatchesThatBreakARuleAndStoresNothing() {
        String actor = uniqueActorId("rules");
        String other = uniqueActorId("other");
        Event twin = event(actor, 1);
        assertThatThrownBy(() -> store.saveEvents(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> store.saveEvents(List.of(event(actor, 1), event(other, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one actor");
        assertThatThrownBy(() -> store.saveEvents(List.of(event(actor, 2), event(actor, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increase");
        assertThatThrownBy(() -> store.saveEvents(List.of(event(actor, 3), event(actor, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increase");
        assertThatThrownBy(() -> store.saveEvents(List.of(twin, twin.withVersion(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(twin.id());
        assertThatThrownBy(() -> store.saveEvents(null)).isInstanceOf(NullPointerException.class);

        assertThat(store.getLatestVersion(actor)).isZero();
        assertThat(store.getLatestVersion(other)).isZero();
        assertThat(store.getEvents(actor, 0)).isEmpty();
    }

    @Test
    void aBatchWhoseFirstVersionIsNotAboveTheLatestConflictsAndStoresNothing() {
        String actor = uniqueActorId("batch-conflict");
        store.saveEvents(List.of(event(actor, 1), event(actor, 2), event(actor, 3)));
        List<Event> late = List.of(event(actor, 3), event(actor, 4), event(actor, 5));

        assertThatThrownBy(() -> store.saveEvents(late))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.actorId()).isEqualTo(actor);
                    assertThat(e.attemptedVersion()).isEqualTo(3);
                    assertThat(e.currentVersion()).isEqualTo(3);
                });
        assertThat(store.getLatestVersion(actor)).isEqualTo(3);
        assertThat(store.getEvents(actor, 0)).extracting(Event::id)
                .doesNotContainAnyElementsOf(late.stream().map(Event::id).toList());
    }

    /**
     * Each round, two writers race from the same latest version: one saves a batch of three, the other a
     * batch of two. Exactly one wins, and the actor then holds exactly the winner's events.
     */
    @Test
    void aBatchIsAllOrNothingUnderARacingWriter() throws Exception {
        String actor = uniqueActorId("race");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                long latest = store.getLatestVersion(actor);
                List<Event> three = List.of(event(actor, latest + 1), event(actor, latest + 2), event(actor, latest + 3));
                List<Event> two = List.of(event(actor, latest + 1), event(actor, latest + 2));
                CountDownLatch start = new CountDownLatch(1);
                Future<Boolean> first = pool.submit(() -> saveAfter(start, three));
                Future<Boolean> second = pool.submit(() -> saveAfter(start, two));
                start.countDown();
                boolean threeWon = first.get(1, TimeUnit.MINUTES);
                boolean twoWon = second.get(1, TimeUnit.MINUTES);

                assertThat(threeWon).as("round %d: exactly one batch wins", round).isNotEqualTo(twoWon);
                assertThat(store.getEvents(actor, latest + 1)).as("round %d", round)
                        .containsExactlyElementsOf(threeWon ? three : two);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private boolean saveAfter(CountDownLatch start, List<Event> batch) throws InterruptedException {
        start.await();
        try {
            store.saveEvents(batch);
            return true;
        } catch (VersionConflictException e) {
            assertThat(e.attemptedVersion()).isEqualTo(batch.get(0).version());
            return false;
        }
    }

    /** A reader polling while batches of three are written sees whole batches only, by every read. */
    @Test
    void aReaderPollingDuringBatchWritesNeverSeesAPartialBatch() throws Exception {
        String actor = uniqueActorId("polled");
        int batches = 60;
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> written = writer.submit(() -> {
                try {
                    for (long b = 0; b < batches; b++) {
                        store.saveEvents(List.of(event(actor, 3 * b + 1), event(actor, 3 * b + 2), event(actor, 3 * b + 3)));
                    }
                } finally {
                    writing.set(false);
                }
            });
            int reads = 0;
            while (writing.get() || reads == 0) {
                long latest = store.getLatestVersion(actor);
                assertThat(latest % 3).as("latest version %d", latest).isZero();
                List<Event> events = store.getEvents(actor, 0);
                assertThat(events.size() % 3).as("%d events read", events.size()).isZero();
                assertThat(events).extracting(Event::version).containsExactlyElementsOf(range(1, events.size()));
                if (latest > 0) {
                    List<Event> tail = store.getEvents(actor, latest - 1);
                    assertThat(tail).as("read from inside a batch").first().extracting(Event::version).isEqualTo(latest - 1);
                    assertThat((tail.size() - 2) % 3).as("%d events read from inside a batch", tail.size()).isZero();
                }
                reads++;
            }
            written.get(1, TimeUnit.MINUTES);
        } finally {
            writer.shutdownNow();
        }
        assertThat(store.getLatestVersion(actor)).isEqualTo(3L * batches);
    }

    @Test
    void reSavingStoredEventsFromASecondInstanceSucceedsAndStoresNothingMore() {
        String actor = uniqueActorId("resave");
        Event first = event(actor, 1);
        Event second = event(actor, 2);
        List<Event> batch = List.of(event(actor, 3), event(actor, 4), event(actor, 5));
        store.saveEvent(first);
        store.saveEvent(second);
        store.saveEvents(batch);
        List<Event> stored = store.getEvents(actor, 0);

        EventStore other = createSecondStore();
        other.saveEvents(batch);
        other.saveEvent(second);
        other.saveEvent(first);
        other.saveEvents(List.of(first, second));
        other.saveEvents(batch.subList(1, 3));
        other.saveEvent(batch.get(1));
        store.saveEvents(batch);
        store.saveEvent(first);

        assertThat(store.getEvents(actor, 0)).isEqualTo(stored);
        assertThat(other.getEvents(actor, 0)).isEqualTo(stored);
        assertThat(other.getLatestVersion(actor)).isEqualTo(5);
    }

    @Test
    void aReadSeesTheEventsAnotherInstanceSavedSinceTheLastRead() {
        String actor = uniqueActorId("fresh");
        store.saveEvent(event(actor, 1));
        store.saveEvents(List.of(event(actor, 2), event(actor, 3)));
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L, 2L, 3L);

        EventStore other = createSecondStore();
        Event fourth = event(actor, 4);
        List<Event> batch = List.of(event(actor, 5), event(actor, 7));
        other.saveEvent(fourth);
        other.saveEvents(batch);

        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L, 2L, 3L, 4L, 5L, 7L);
        assertThat(store.getEvents(actor, 4)).containsExactly(fourth, batch.get(0), batch.get(1));
        assertThat(store.getLatestVersion(actor)).isEqualTo(7);
        other.saveEvent(event(actor, 8));
        assertThat(store.getEvents(actor, 6)).extracting(Event::version).containsExactly(7L, 8L);
        assertThat(store.getEvents(actor, 0)).hasSize(7);
    }

    @Test
    void readsExactlyTheEventsFromAnyVersionOfAnActorOfSingleEventsAndBatches() {
        String actor = uniqueActorId("tail");
        List<Event> saved = new ArrayList<>();
        long version = 0;
        for (int message = 0; message < 40; message++) {
            int size = message % 4 == 1 ? 3 : message % 7 == 2 ? 2 : 1;
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                version += 1 + (message % 5 == 3 ? 2 : 0);
                events.add(event(actor, version));
            }
            if (size == 1) {
                store.saveEvent(events.get(0));
            } else {
                store.saveEvents(events);
            }
            saved.addAll(events);
        }
        // The second instance reads from the end backwards, as a loader with ever older snapshots would.
        EventStore other = createSecondStore();
        for (long from = version + 1; from >= 0; from--) {
            long bound = from;
            List<Event> expected = saved.stream().filter(e -> e.version() >= bound).toList();
            assertThat(other.getEvents(actor, from)).as("from version %d, second instance", from).isEqualTo(expected);
        }
        for (long from = 0; from <= version + 1; from++) {
            long bound = from;
            List<Event> expected = saved.stream().filter(e -> e.version() >= bound).toList();
            assertThat(store.getEvents(actor, from)).as("from version %d", from).isEqualTo(expected);
        }
    }

    @Test
    void aDifferentEventAtAStoredVersionConflictsFromASecondInstance() {
        String actor = uniqueActorId("resave-conflict");
        List<Event> batch = List.of(event(actor, 1), event(actor, 2), event(actor, 3));
        store.saveEvents(batch);
        EventStore other = createSecondStore();

        assertThatThrownBy(() -> other.saveEvent(event(actor, 2)))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.attemptedVersion()).isEqualTo(2);
                    assertThat(e.currentVersion()).isEqualTo(3);
                });
        assertThatThrownBy(() -> other.saveEvents(List.of(batch.get(1), event(actor, 3))))
                .isInstanceOfSatisfying(VersionConflictException.class,
                        e -> assertThat(e.attemptedVersion()).isEqualTo(2));
        assertThatThrownBy(() -> other.saveEvents(List.of(batch.get(2), event(actor, 4))))
                .isInstanceOfSatisfying(VersionConflictException.class,
                        e -> assertThat(e.attemptedVersion()).isEqualTo(3));
        assertThat(store.getEvents(actor, 0)).isEqualTo(batch);
        assertThat(other.getLatestVersion(actor)).isEqualTo(3);
    }

    @Test
    void refusesAnEventIdTheActorAlreadyHoldsAtAnotherVersion() {
        String actor = uniqueActorId("duplicate-id");
        Event placed = event(actor, 1);
        store.saveEvent(placed);

        assertThatThrownBy(() -> store.saveEvent(placed.withVersion(2)))
                .isInstanceOfSatisfying(DuplicateEventIdException.class, e -> {
                    assertThat(e.actorId()).isEqualTo(actor);
                    assertThat(e.eventId()).isEqualTo(placed.id());
                    assertThat(e.storedVersion()).isEqualTo(1);
                    assertThat(e.attemptedVersion()).isEqualTo(2);
                    assertThat(e).hasMessageContaining(placed.id());
                });
        assertThat(store.getLatestVersion(actor)).isEqualTo(1);

        List<Event> batch = List.of(event(actor, 2), event(actor, 3));
        store.saveEvents(batch);
        Event reserved = batch.get(1);
        assertThatThrownBy(() -> createSecondStore().saveEvents(List.of(event(actor, 4), reserved.withVersion(5))))
                .isInstanceOfSatisfying(DuplicateEventIdException.class, e -> {
                    assertThat(e.eventId()).isEqualTo(reserved.id());
                    assertThat(e.storedVersion()).isEqualTo(3);
                    assertThat(e.attemptedVersion()).isEqualTo(5);
                });
        assertThat(store.getLatestVersion(actor)).isEqualTo(3);
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L, 2L, 3L);
    }

    @Test
    void asyncSavesOfOneActorAreAppliedInCallOrder() {
        String actor = uniqueActorId("async");
        List<Event> expected = new ArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (long v = 1; v <= 200; v += 4) {
            Event single = event(actor, v);
            List<Event> batch = List.of(event(actor, v + 1), event(actor, v + 2), event(actor, v + 3));
            futures.add(store.saveEventAsync(single));
            futures.add(store.saveEventsAsync(batch));
            expected.add(single);
            expected.addAll(batch);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(2, TimeUnit.MINUTES).join();

        assertThat(store.getEvents(actor, 0)).containsExactlyElementsOf(expected);
        assertThat(store.getLatestVersion(actor)).isEqualTo(expected.get(expected.size() - 1).version());
    }

    @Test
    void asyncSavesOfManyActorsAllLand() {
        List<String> actors = Stream.generate(() -> uniqueActorId("many")).limit(50).toList();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (long v = 1; v <= 4; v++) {
            for (String actor : actors) {
                futures.add(store.saveEventAsync(event(actor, v)));
            }
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(2, TimeUnit.MINUTES).join();

        assertThat(actors).allSatisfy(actor ->
                assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L, 2L, 3L, 4L));
    }

    @Test
    void asyncSavesFailTheirFutureWithTheExceptionOfTheSynchronousSave() {
        String actor = uniqueActorId("async-conflict");
        Event placed = event(actor, 1);
        store.saveEvent(placed);

        CompletableFuture<Void> conflict = store.saveEventAsync(event(actor, 1));
        CompletableFuture<Void> batchConflict = store.saveEventsAsync(List.of(event(actor, 1), event(actor, 2)));
        CompletableFuture<Void> resave = store.saveEventAsync(placed);
        CompletableFuture<Void> duplicate = store.saveEventAsync(placed.withVersion(2));
        CompletableFuture<Void> broken = store.saveEventsAsync(List.of(event(actor, 3), event(actor, 2)));
        CompletableFuture<Void> next = store.saveEventAsync(event(actor, 2));

        assertThat(conflict).failsWithin(Duration.ofMinutes(1)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.attemptedVersion()).isEqualTo(1);
                    assertThat(e.currentVersion()).isEqualTo(1);
                });
        assertThat(batchConflict).failsWithin(Duration.ofMinutes(1)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(VersionConflictException.class,
                        e -> assertThat(e.attemptedVersion()).isEqualTo(1));
        assertThat(resave).succeedsWithin(Duration.ofMinutes(1));
        assertThat(duplicate).failsWithin(Duration.ofMinutes(1)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(DuplicateEventIdException.class);
        assertThat(broken).failsWithin(Duration.ofMinutes(1)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalArgumentException.class);
        assertThat(next).succeedsWithin(Duration.ofMinutes(1));
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L, 2L);
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }
}
