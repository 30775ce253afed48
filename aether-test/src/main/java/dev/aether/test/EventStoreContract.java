package dev.aether.test;

import dev.aether.ActorId;
import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.VersionConflictException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

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

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }
}
