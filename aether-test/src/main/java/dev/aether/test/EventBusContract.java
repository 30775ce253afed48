package dev.aether.test;

import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The rules every {@link EventBus} keeps. Extend it and implement {@link #createBus()}; the bus is
 * closed after each test.
 *
 * <p>"Not delivered" is checked without waiting for a timeout: after the event that must not
 * arrive, the test publishes a marker that must arrive on the same subscription; since a
 * subscription receives events in publish order, the first event had its chance by then.
 */
public abstract class EventBusContract {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    /** The bus under test, created before each test. */
    protected EventBus bus;

    /** @return a new bus to test; called before each test */
    protected abstract EventBus createBus();

    @BeforeEach
    void createBusUnderTest() {
        bus = createBus();
    }

    @AfterEach
    void closeBus() {
        bus.close();
    }

    /** @return a namespace prefix no other test uses, so that a shared server does not mix tests */
    protected static String uniqueNamespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "");
    }

    private static Event event(String type, String actor) {
        return Event.builder().eventType(type).actorId(actor).version(1).data(Map.of()).build();
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "orders.*, orders.eu, true",
            "orders.*, orders, false",
            "orders.*, orders.eu.x, false",
            "orders.>, orders.eu, true",
            "orders.>, orders.eu.x, true",
            "orders.>, orders, false",
            "orders, orders, true",
            "orders, orders.eu, false",
            "*.orders, tenant-a.orders, true",
            "*.orders, tenant-a.invoices, false",
            ">, orders.eu.x, true",
            "*, orders, true",
            "*, orders.eu, false"
    })
    void deliversByNamespacePattern(String pattern, String namespace, boolean delivered) {
        String prefix = uniqueNamespace();
        String scopedPattern = prefix + "." + pattern;
        String scopedNamespace = prefix + "." + namespace;
        String markerNamespace = prefix + "." + pattern.replace("*", "m").replace(">", "m");
        List<Event> received = new CopyOnWriteArrayList<>();
        bus.subscribe(scopedPattern, SubscriptionFilter.all(), (ns, e) -> received.add(e));

        Event candidate = event("Candidate", "a");
        Event marker = event("Marker", "a");
        bus.publish(scopedNamespace, candidate);
        bus.publish(markerNamespace, marker);

        await().atMost(DELIVERY_TIMEOUT).until(() -> received.contains(marker));
        assertThat(received.contains(candidate)).isEqualTo(delivered);
    }

    @Test
    void passesTheNamespaceToTheHandler() {
        String prefix = uniqueNamespace();
        List<String> namespaces = new CopyOnWriteArrayList<>();
        bus.subscribe(prefix + ".>", SubscriptionFilter.all(), (ns, e) -> namespaces.add(ns));
        bus.publish(prefix + ".orders.eu", event("OrderPlaced", "o-1"));
        await().atMost(DELIVERY_TIMEOUT).until(() -> namespaces.size() == 1);
        assertThat(namespaces).containsExactly(prefix + ".orders.eu");
    }

    @Test
    void filtersByEventType() {
        String ns = uniqueNamespace();
        List<Event> received = new CopyOnWriteArrayList<>();
        bus.subscribe(ns, SubscriptionFilter.eventTypes("OrderPlaced", "Marker"), (n, e) -> received.add(e));

        bus.publish(ns, event("OrderShipped", "o-1"));
        bus.publish(ns, event("OrderPlaced", "o-1"));
        bus.publish(ns, event("Marker", "o-1"));

        await().atMost(DELIVERY_TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).extracting(Event::eventType).containsExactly("OrderPlaced", "Marker");
    }

    @Test
    void filtersByActorPattern() {
        String ns = uniqueNamespace();
        List<Event> received = new CopyOnWriteArrayList<>();
        bus.subscribe(ns, SubscriptionFilter.all().withActorPattern("eu.*"), (n, e) -> received.add(e));

        bus.publish(ns, event("T", "us.1"));
        bus.publish(ns, event("T", "eu.1.x"));
        bus.publish(ns, event("T", "eu"));
        bus.publish(ns, event("T", "eu.2"));

        await().atMost(DELIVERY_TIMEOUT).until(() -> !received.isEmpty());
        assertThat(received).extracting(Event::actorId).containsExactly("eu.2");
    }

    @Test
    void deliversToEachSubscriptionInPublishOrder() {
        String ns = uniqueNamespace();
        List<Event> first = new CopyOnWriteArrayList<>();
        List<Event> second = new CopyOnWriteArrayList<>();
        bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> first.add(e));
        bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> second.add(e));

        List<Event> published = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            Event e = Event.builder().eventType("Tick").actorId("clock").version(i).data(Map.of()).build();
            published.add(e);
            bus.publish(ns, e);
        }

        await().atMost(DELIVERY_TIMEOUT).until(() -> first.size() == 500 && second.size() == 500);
        assertThat(first).containsExactlyElementsOf(published);
        assertThat(second).containsExactlyElementsOf(published);
    }

    @Test
    void aThrowingHandlerDoesNotStopItsOwnOrOtherSubscriptions() {
        String ns = uniqueNamespace();
        AtomicBoolean thrown = new AtomicBoolean();
        List<Event> afterFailure = new CopyOnWriteArrayList<>();
        List<Event> healthy = new CopyOnWriteArrayList<>();
        bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> {
            if (thrown.compareAndSet(false, true)) {
                throw new IllegalStateException("handler failure on purpose");
            }
            afterFailure.add(e);
        });
        bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> healthy.add(e));

        bus.publish(ns, event("First", "a"));
        bus.publish(ns, event("Second", "a"));

        await().atMost(DELIVERY_TIMEOUT).until(() -> healthy.size() == 2 && afterFailure.size() == 1);
        assertThat(afterFailure).extracting(Event::eventType).containsExactly("Second");
        assertThat(healthy).extracting(Event::eventType).containsExactly("First", "Second");
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() {
        String ns = uniqueNamespace();
        List<Event> closed = new CopyOnWriteArrayList<>();
        List<Event> open = new CopyOnWriteArrayList<>();
        Subscription subscription = bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> closed.add(e));
        bus.subscribe(ns, SubscriptionFilter.all(), (n, e) -> open.add(e));

        bus.publish(ns, event("Before", "a"));
        await().atMost(DELIVERY_TIMEOUT).until(() -> closed.size() == 1 && open.size() == 1);
        subscription.close();
        subscription.close();
        bus.publish(ns, event("After", "a"));

        await().atMost(DELIVERY_TIMEOUT).until(() -> open.size() == 2);
        assertThat(closed).extracting(Event::eventType).containsExactly("Before");
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders.*", "orders.>", "", "orders..eu", ".orders", "orders.", "orders eu", "orders/eu"})
    void refusesToPublishToAMalformedNamespace(String namespace) {
        assertThatThrownBy(() -> bus.publish(namespace, event("T", "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders.>.eu", "", "orders..eu", "orders.e*", "orders eu"})
    void refusesAMalformedPattern(String pattern) {
        assertThatThrownBy(() -> bus.subscribe(pattern, SubscriptionFilter.all(), (n, e) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespacePattern");
    }

    @Test
    void refusesNullArguments() {
        assertThatThrownBy(() -> bus.publish("orders", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("event");
        assertThatThrownBy(() -> bus.subscribe("orders", null, (n, e) -> { })).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("filter");
        assertThatThrownBy(() -> bus.subscribe("orders", SubscriptionFilter.all(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("handler");
    }

    @Test
    void aClosedBusRefusesWork() {
        bus.close();
        assertThatThrownBy(() -> bus.publish("orders", event("T", "a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.subscribe("orders", SubscriptionFilter.all(), (n, e) -> { }))
                .isInstanceOf(IllegalStateException.class);
    }
}
