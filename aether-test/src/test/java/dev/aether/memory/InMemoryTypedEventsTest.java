package dev.aether.memory;

import dev.aether.EventSubscriptions;
import dev.aether.SnapshotStore;
import dev.aether.test.TypedEventsContract;

/** Typed events, upcasting and snapshots by policy on the in-memory store and subscriptions. */
class InMemoryTypedEventsTest extends TypedEventsContract {

    private InMemoryEventSubscriptions memory;

    @Override
    protected EventSubscriptions createSubscriptions() {
        memory = new InMemoryEventSubscriptions();
        return memory;
    }

    @Override
    protected SnapshotStore store(String namespace) {
        return memory.store(namespace);
    }

    @Override
    protected void closeSubscriptions() {
        memory.close();
    }
}
