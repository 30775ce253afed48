package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aether.DataMapper;
import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.SnapshotStore;
import dev.aether.spring.AetherSubscriber;
import dev.aether.spring.UpcastingSubscriptionFactory;
import dev.aether.typed.EventTypes;
import dev.aether.upcast.EventUpcaster;
import dev.aether.upcast.SchemaVersion;
import dev.aether.upcast.UpcasterChain;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Typed events in the starter: the data mapper, registration beans, typed subscriber methods and upcasters. */
class AetherTypedEventsTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    record OrderPlaced(String orderId, long totalCents) {
    }

    record OrderShipped(String orderId) {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class,
                    AetherTypedEventsAutoConfiguration.class))
            .withBean("orderEvents", EventTypesCustomizer.class, () -> types -> types.register(OrderPlaced.class));

    private static EventUpcaster addTotal() {
        return EventUpcaster.of("OrderPlaced", 1, data -> with(data, "totalCents", 0));
    }

    private static EventUpcaster doubleTotal() {
        return EventUpcaster.of("OrderPlaced", 2,
                data -> with(data, "totalCents", ((Number) data.get("totalCents")).longValue() + 100));
    }

    private static Map<String, Object> with(Map<String, Object> data, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(data);
        copy.put(key, value);
        return copy;
    }

    @Test
    void typedMethodsReceiveTheRecordWithOrWithoutTheEnvelope() {
        runner.withBean(TypedSubscriber.class).run(context -> {
            EventTypes types = context.getBean(EventTypes.class);
            EventStore store = context.getBean(EventStore.class);
            store.saveEvent(Event.builder().eventType("OrderShipped").actorId("order-1").version(1).build());
            store.saveEvent(types.eventFor(new OrderPlaced("o-1", 4200)).actorId("order-1").version(2).build());

            TypedSubscriber subscriber = context.getBean(TypedSubscriber.class);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(subscriber.placed).containsExactly(new OrderPlaced("o-1", 4200));
                assertThat(subscriber.withEnvelope).containsExactly(List.of(new OrderPlaced("o-1", 4200), 2L));
                assertThat(subscriber.withNamespace).containsExactly(List.of("default", new OrderPlaced("o-1", 4200), 2L));
            });
        });
    }

    @Test
    void aTypedMethodWhoseClassIsNotRegisteredFailsStartupNamingIt() {
        runner.withBean(UnregisteredSubscriber.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains(UnregisteredSubscriber.class.getName() + ".on(OrderShipped)")
                    .contains(OrderShipped.class.getName() + " is not registered for any event type");
        });
    }

    @Test
    void aTypedMethodListingAnotherEventTypeFailsStartup() {
        runner.withBean(MismatchedSubscriber.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains(MismatchedSubscriber.class.getName() + ".on(OrderPlaced)")
                    .contains("registered as event type OrderPlaced, but eventTypes lists [OrderShipped]");
        });
    }

    @Test
    void upcasterBeansApplyToTheStoreAndToSubscribers() {
        runner.withBean("addTotal", EventUpcaster.class, AetherTypedEventsTests::addTotal)
                .withBean("doubleTotal", EventUpcaster.class, AetherTypedEventsTests::doubleTotal)
                .withBean(TypedSubscriber.class).run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    store.saveEvent(Event.builder().eventType("OrderPlaced").actorId("order-1").version(1)
                            .data(Map.of("orderId", "o-1")).build());

                    assertThat(store).isInstanceOf(SnapshotStore.class);
                    assertThat(store.getEvents("order-1", 0)).singleElement()
                            .satisfies(event -> assertThat(SchemaVersion.of(event)).isEqualTo(3))
                            .extracting(Event::data).isEqualTo(Map.of("orderId", "o-1", "totalCents", 100));
                    assertThat(context.getBean("aetherSubscriptionFactory")).isInstanceOf(UpcastingSubscriptionFactory.class);
                    await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(TypedSubscriber.class).placed)
                            .containsExactly(new OrderPlaced("o-1", 100)));
                });
    }

    @Test
    void withoutUpcastersTheStoreIsNotWrapped() {
        runner.run(context -> {
            assertThat(context.getBean(UpcasterChain.class).isEmpty()).isTrue();
            assertThat(context.getBean(EventStore.class).getClass().getName()).doesNotContain("Upcasting");
            assertThat(context.getBean("aetherSubscriptionFactory")).isNotInstanceOf(UpcastingSubscriptionFactory.class);
        });
    }

    @Test
    void aGapBetweenUpcasterBeansFailsStartupNamingTheTypeAndVersions() {
        runner.withBean("addTotal", EventUpcaster.class, AetherTypedEventsTests::addTotal)
                .withBean("fromThree", EventUpcaster.class, () -> EventUpcaster.of("OrderPlaced", 3, data -> data))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("No upcaster takes OrderPlaced from schema version 2 to 3");
                });
    }

    @Test
    void theDataMapperUsesTheApplicationsJackson2MapperWhenThereIsOne() {
        ObjectMapper application = new ObjectMapper();
        runner.withBean(ObjectMapper.class, () -> application).run(context -> {
            DataMapper mapper = context.getBean(DataMapper.class);
            Event event = Event.builder().eventType("OrderShipped").actorId("o").version(1)
                    .data(Map.of("orderId", "o-1", "unknown", 1)).build();
            assertThat(messages(catchThrowable(() -> event.dataAs(OrderShipped.class, mapper))))
                    .contains("data.unknown cannot be read as");
        });
    }

    @Test
    void theDataMapperIsConfiguredFromAetherDataProperties() {
        Event event = Event.builder().eventType("OrderShipped").actorId("o").version(1)
                .data(Map.of("orderId", "o-1", "unknown", 1)).build();
        runner.run(context -> assertThat(event.dataAs(OrderShipped.class, context.getBean(DataMapper.class)))
                .isEqualTo(new OrderShipped("o-1")));
        runner.withPropertyValues("aether.data.fail-on-unknown-properties=true").run(context -> assertThat(messages(
                catchThrowable(() -> event.dataAs(OrderShipped.class,
                        context.getBean(DataMapper.class))))).contains("data.unknown cannot be read as"));
    }

    @Test
    void anEventTypesBeanOfTheApplicationReplacesTheStartersOne() {
        EventTypes own = EventTypes.builder().register(OrderShipped.class).build();
        runner.withBean(EventTypes.class, () -> own).run(context ->
                assertThat(context.getBean(EventTypes.class)).isSameAs(own));
    }

    static class TypedSubscriber {
        final List<OrderPlaced> placed = new CopyOnWriteArrayList<>();
        final List<List<Object>> withEnvelope = new CopyOnWriteArrayList<>();
        final List<List<Object>> withNamespace = new CopyOnWriteArrayList<>();

        @AetherSubscriber
        void on(OrderPlaced order) {
            placed.add(order);
        }

        @AetherSubscriber
        void onWithEnvelope(OrderPlaced order, Event event) {
            withEnvelope.add(List.of(order, event.version()));
        }

        @AetherSubscriber
        void onWithNamespace(String namespace, OrderPlaced order, Event event) {
            withNamespace.add(List.of(namespace, order, event.version()));
        }
    }

    static class UnregisteredSubscriber {
        @AetherSubscriber
        void on(OrderShipped shipped) {
        }
    }

    static class MismatchedSubscriber {
        @AetherSubscriber(eventTypes = "OrderShipped")
        void on(OrderPlaced placed) {
        }
    }
}
