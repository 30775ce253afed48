package dev.aether.sample.account;

import dev.aether.Event;
import dev.aether.EventBus;
import org.springframework.beans.factory.annotation.Autowired;

/** The REST API on the default in-memory store. */
class InMemoryAccountApiTest extends AccountApiContract {

    @Autowired
    EventBus bus;

    @Override
    protected void saveInPaymentsNamespace(Event event) {
        // The in-memory store serves one namespace; another service's saves reach subscribers on the bus.
        bus.publish("payments.cards", event);
    }
}
