package dev.aether.memory;

import dev.aether.SnapshotStore;
import dev.aether.test.SnapshotStoreProperties;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link InMemoryEventStore} keeps the arbitrary- and hostile-input properties; one store per namespace. */
class InMemoryEventStorePropertiesTest extends SnapshotStoreProperties {

    private final Map<String, SnapshotStore> stores = new ConcurrentHashMap<>();

    @Override
    protected SnapshotStore createStore(String namespace) {
        return stores.computeIfAbsent(namespace, n -> new InMemoryEventStore());
    }
}
