package dev.aether.upcast;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.SnapshotStore;
import dev.aether.memory.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UpcastingEventStoreTest {

    private static final UpcasterChain CHAIN = UpcasterChain.of(List.of(
            EventUpcaster.of("MoneyDeposited", 1, data -> Map.of("cents", ((Number) data.get("amount")).longValue() * 100))));

    private final InMemoryEventStore stored = new InMemoryEventStore();

    private static Event deposited(long version) {
        return Event.builder().eventType("MoneyDeposited").actorId("account-1").version(version)
                .data(Map.of("amount", 5)).build();
    }

    @Test
    void savesEventsAsTheyAreAndReadsThemUpcast() {
        EventStore store = UpcastingEventStore.wrap((EventStore) stored, CHAIN);
        Event event = deposited(1);

        store.saveEvent(event);

        assertThat(stored.getEvents("account-1", 0)).containsExactly(event);
        assertThat(store.getEvents("account-1", 0)).singleElement().extracting(Event::data)
                .isEqualTo(Map.of("cents", 500));
        assertThat(store).isNotInstanceOf(SnapshotStore.class);
    }

    @Test
    void batchAndAsynchronousSavesReachTheWrappedStoreUnchanged() {
        EventStore store = UpcastingEventStore.wrap((EventStore) stored, CHAIN);

        store.saveEvents(List.of(deposited(1), deposited(2)));
        store.saveEventAsync(deposited(3)).join();
        store.saveEventsAsync(List.of(deposited(4))).join();

        assertThat(stored.getEvents("account-1", 0)).extracting(Event::data).containsOnly(Map.of("amount", 5))
                .hasSize(4);
        assertThat(store.getEvents("account-1", 0)).extracting(Event::data).containsOnly(Map.of("cents", 500));
    }

    @Test
    void aSnapshotStoreStaysASnapshotStoreAndItsSnapshotsPassUnchanged() {
        SnapshotStore store = UpcastingEventStore.wrap(stored, CHAIN);
        ActorSnapshot snapshot = new ActorSnapshot("account-1", 3, Map.of("amount", 5));

        store.saveSnapshot(snapshot);

        assertThat(stored.getLatestSnapshot("account-1")).contains(snapshot);
        assertThat(store.getLatestSnapshot("account-1")).contains(snapshot);
        assertThat(((UpcastingEventStore) store).chain()).isSameAs(CHAIN);
    }
}
