package dev.aether.memory;

import dev.aether.EventStore;
import dev.aether.EventSubscriptions;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.EventSubscriptionsContract;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link InMemoryEventSubscriptions} keeps the subscription contract. */
class InMemoryEventSubscriptionsTest extends EventSubscriptionsContract {

    private InMemoryEventSubscriptions memory;

    @Override
    protected EventSubscriptions createSubscriptions() {
        memory = new InMemoryEventSubscriptions();
        return memory;
    }

    @Override
    protected EventStore store(String namespace) {
        return memory.store(namespace);
    }

    @Override
    protected void closeSubscriptions() {
        memory.close();
    }

    @Test
    void givesTheSameStoreForTheSameNamespace() {
        assertThat(memory.store("orders")).isSameAs(memory.store("orders")).isNotSameAs(memory.store("invoices"));
        assertThatThrownBy(() -> memory.store("orders.*")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
    }

    @Test
    void refusesADurableNameAlreadyUsedWithAnotherPattern() {
        SubscriptionOptions options = SubscriptionOptions.builder().durableName("projector").build();
        subscribe("orders", SubscriptionFilter.all(), (n, e) -> { }, options);
        assertThatThrownBy(() -> subscribe("invoices", SubscriptionFilter.all(), (n, e) -> { }, options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("durableName 'projector'");
    }

    @Test
    void aClosedInstanceRefusesNewSubscriptions() {
        memory.close();
        assertThatThrownBy(() -> memory.subscribe("orders", SubscriptionFilter.all(), (n, e) -> { },
                SubscriptionOptions.defaults())).isInstanceOf(IllegalStateException.class);
    }
}
