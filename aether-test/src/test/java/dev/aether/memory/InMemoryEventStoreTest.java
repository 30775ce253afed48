package dev.aether.memory;

import dev.aether.SnapshotStore;
import dev.aether.test.SnapshotStoreContract;

/** {@link InMemoryEventStore} keeps the event and snapshot store contracts. */
class InMemoryEventStoreTest extends SnapshotStoreContract {

    @Override
    protected SnapshotStore createStore() {
        return new InMemoryEventStore();
    }
}
