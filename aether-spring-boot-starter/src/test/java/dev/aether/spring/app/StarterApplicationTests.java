package dev.aether.spring.app;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.spring.AetherSubscriber;
import dev.aether.test.nats.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A new Boot application with only the starter (and actuator): on JetStream with nothing but the
 * store type and a URL, and on the in-memory store with no Aether property at all.
 */
class StarterApplicationTests {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void withTheStoreTypeAndAUrlTheAppRunsOnJetStream() {
        try (ConfigurableApplicationContext context = start("spring.config.name=jetstream-app",
                "test.nats.url=" + NATS.url())) {
            EventStore store = context.getBean(EventStore.class);
            store.saveEvent(Event.builder().eventType("OrderPlaced").actorId("order-1").version(1).build());
            assertThat(store.getEvents("order-1", 0)).hasSize(1);

            OrderProjection projection = context.getBean(OrderProjection.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(projection.events).extracting(Event::actorId).containsExactly("order-1"));

            IndicatedHealthDescriptor health = aetherHealth(context);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("storeType", "jetstream")
                    .containsEntry("namespace", "default").containsEntry("connection", "CONNECTED")
                    .containsEntry("streamExists", true).containsKeys("server", "stream", "messages");
            CompositeHealthDescriptor readiness = (CompositeHealthDescriptor) context.getBean(HealthEndpoint.class)
                    .healthForPath("readiness");
            assertThat(readiness.getComponents()).containsKey("aether");
        }
    }

    @Test
    void withoutAnyAetherPropertyTheAppRunsOnTheInMemoryStore() {
        try (ConfigurableApplicationContext context = start()) {
            EventStore store = context.getBean(EventStore.class);
            store.saveEvent(Event.builder().eventType("OrderPlaced").actorId("order-2").version(1).build());
            OrderProjection projection = context.getBean(OrderProjection.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(projection.events).extracting(Event::actorId).containsExactly("order-2"));
            IndicatedHealthDescriptor health = aetherHealth(context);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("storeType", "memory");
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE)
                .properties("management.endpoints.jmx.exposure.include=health", "management.endpoint.health.show-details=always",
                        "spring.main.banner-mode=off")
                .properties(properties).run();
    }

    /** What {@code /actuator/health/aether} answers. */
    private static IndicatedHealthDescriptor aetherHealth(ConfigurableApplicationContext context) {
        return (IndicatedHealthDescriptor) context.getBean(HealthEndpoint.class).healthForPath("aether");
    }

    /** The application: nothing but Boot's auto-configuration and one subscriber. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OrderProjection.class)
    static class SampleApplication {
    }

    /** A projection as a user writes one. */
    @Component
    static class OrderProjection {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @AetherSubscriber(eventTypes = "OrderPlaced")
        void on(Event event) {
            events.add(event);
        }
    }
}
