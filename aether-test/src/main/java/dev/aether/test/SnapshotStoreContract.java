package dev.aether.test;

import dev.aether.ActorSnapshot;
import dev.aether.SnapshotStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules every {@link SnapshotStore} keeps, on top of the {@link EventStoreContract}. Extend it
 * and implement {@link #createStore()}.
 */
public abstract class SnapshotStoreContract extends EventStoreContract {

    @Override
    protected abstract SnapshotStore createStore();

    /** @return the store under test as a {@link SnapshotStore} */
    protected SnapshotStore snapshotStore() {
        return (SnapshotStore) store;
    }

    @Test
    void anActorWithoutSnapshotsHasNone() {
        assertThat(snapshotStore().getLatestSnapshot(uniqueActorId("plain"))).isEmpty();
    }

    @Test
    void savesASnapshotAndReadsItBack() {
        String actor = uniqueActorId("snap");
        ActorSnapshot snapshot = new ActorSnapshot(actor, 3,
                Map.of("balance", 120, "owner", "ada", "tags", List.of("vip")), Instant.now().truncatedTo(ChronoUnit.MICROS));

        snapshotStore().saveSnapshot(snapshot);

        assertThat(snapshotStore().getLatestSnapshot(actor)).contains(snapshot);
    }

    @Test
    void theSnapshotWithTheHighestVersionWins() {
        String actor = uniqueActorId("snap");
        snapshotStore().saveSnapshot(new ActorSnapshot(actor, 5, Map.of("v", 5)));
        snapshotStore().saveSnapshot(new ActorSnapshot(actor, 3, Map.of("v", 3)));
        assertThat(snapshotStore().getLatestSnapshot(actor)).get().extracting(ActorSnapshot::version).isEqualTo(5L);

        snapshotStore().saveSnapshot(new ActorSnapshot(actor, 8, Map.of("v", 8)));
        assertThat(snapshotStore().getLatestSnapshot(actor)).get().extracting(ActorSnapshot::version).isEqualTo(8L);
    }

    @Test
    void aSnapshotAtTheSameVersionReplacesTheStoredOne() {
        String actor = uniqueActorId("snap");
        snapshotStore().saveSnapshot(new ActorSnapshot(actor, 4, Map.of("state", "old")));
        snapshotStore().saveSnapshot(new ActorSnapshot(actor, 4, Map.of("state", "new")));
        assertThat(snapshotStore().getLatestSnapshot(actor)).get()
                .extracting(s -> s.state().get("state")).isEqualTo("new");
    }

    @Test
    void snapshotsOfDifferentActorsAreKeptApart() {
        String actor = uniqueActorId("snap");
        snapshotStore().saveSnapshot(new ActorSnapshot(actor, 1, Map.of("who", "a")));
        snapshotStore().saveSnapshot(new ActorSnapshot(actor + ".b", 2, Map.of("who", "b")));

        assertThat(snapshotStore().getLatestSnapshot(actor)).get().extracting(s -> s.state().get("who")).isEqualTo("a");
        assertThat(snapshotStore().getLatestSnapshot(actor + ".b")).get().extracting(s -> s.state().get("who")).isEqualTo("b");
        assertThat(snapshotStore().getLatestSnapshot(actor + ".*")).isEmpty();
    }

    @Test
    void snapshotsDoNotChangeTheEventStream() {
        String actor = uniqueActorId("snap");
        store.saveEvent(event(actor, 1));
        snapshotStore().saveSnapshot(new ActorSnapshot(actor, 1, Map.of()));
        assertThat(store.getLatestVersion(actor)).isEqualTo(1);
        assertThat(store.getEvents(actor, 0)).hasSize(1);
    }

    @Test
    void refusesBadSnapshotArguments() {
        assertThatThrownBy(() -> snapshotStore().saveSnapshot(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("snapshot");
        assertThatThrownBy(() -> snapshotStore().getLatestSnapshot(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId");
    }
}
