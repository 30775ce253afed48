package dev.aether.typed;

import dev.aether.Event;
import dev.aether.SubscriptionFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTypesTest {

    record OrderPlaced(String orderId, long totalCents) {
    }

    record OrderShipped(String orderId) {
    }

    private final EventTypes types = EventTypes.builder().register("OrderPlaced", OrderPlaced.class)
            .register(OrderShipped.class).build();

    @Test
    void registersClassesByEventTypeAndBySimpleName() {
        assertThat(types.eventTypes()).containsExactlyInAnyOrder("OrderPlaced", "OrderShipped");
        assertThat(types.classOf("OrderShipped")).contains(OrderShipped.class);
        assertThat(types.eventTypeOf(OrderPlaced.class)).contains("OrderPlaced");
        assertThat(types.classOf("Unknown")).isEmpty();
    }

    @Test
    void buildsAnEventOfTheRegisteredTypeAndReadsItBack() {
        Event event = types.eventFor(new OrderPlaced("o-1", 42)).actorId("order-1").version(1).build();

        assertThat(event.eventType()).isEqualTo("OrderPlaced");
        assertThat(event.data()).isEqualTo(Map.of("orderId", "o-1", "totalCents", 42));
        assertThat(types.read(event)).isEqualTo(new OrderPlaced("o-1", 42));
        assertThat(types.read(event, OrderPlaced.class)).isEqualTo(new OrderPlaced("o-1", 42));
    }

    @Test
    void refusesAnUnregisteredClassOrTypeNamingIt() {
        Event unknown = Event.builder().eventType("OrderLost").actorId("order-1").version(1).build();

        assertThatThrownBy(() -> types.eventFor("text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String is not registered");
        assertThatThrownBy(() -> types.read(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event type OrderLost");
        assertThatThrownBy(() -> types.read(unknown, OrderPlaced.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a OrderLost, not a OrderPlaced");
    }

    @Test
    void refusesATypeOrAClassRegisteredTwice() {
        assertThatThrownBy(() -> EventTypes.builder().register("OrderPlaced", OrderPlaced.class)
                .register("OrderPlaced", OrderShipped.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event type OrderPlaced is already registered");
        assertThatThrownBy(() -> EventTypes.builder().register("OrderPlaced", OrderPlaced.class)
                .register("PlacedOrder", OrderPlaced.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered as event type OrderPlaced");
        assertThat(EventTypes.builder().register(OrderPlaced.class).register(OrderPlaced.class).build().eventTypes())
                .containsExactly("OrderPlaced");
    }

    @Test
    void aTypedHandlerReceivesTheRecordAndTheEnvelope() {
        List<Object> received = new ArrayList<>();
        Event event = types.eventFor(new OrderShipped("o-1")).actorId("order-1").version(2).build();

        types.handler(OrderShipped.class, (shipped, envelope) -> received.add(List.of(shipped, envelope.version())))
                .handle("orders", event);

        assertThat(received).containsExactly(List.of(new OrderShipped("o-1"), 2L));
        assertThat(types.filterFor(OrderShipped.class)).isEqualTo(SubscriptionFilter.eventTypes("OrderShipped"));
    }
}
