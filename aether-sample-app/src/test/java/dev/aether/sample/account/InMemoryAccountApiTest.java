package dev.aether.sample.account;

import dev.aether.Event;
import dev.aether.memory.InMemoryEventSubscriptions;
import org.springframework.beans.factory.annotation.Autowired;

/** The REST API on the default in-memory store. */
class InMemoryAccountApiTest extends AccountApiContract {

    @Autowired
    InMemoryEventSubscriptions subscriptions;

    @Override
    protected void saveInPaymentsNamespace(Event event) {
        // Another service in the same JVM: the store of its own namespace, whose saves reach the subscribers.
        subscriptions.store("payments.cards").saveEvent(event);
    }
}
