package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.aether.EventStore;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Customizer beans change what the starter builds, in {@code @Order}, without replacing the
 * connection, the store or the subscriptions.
 */
class AetherCustomizerTests {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class))
            .withPropertyValues("aether.store.type=jetstream", "aether.nats.drain-timeout=2s");

    @Test
    void natsOptionsCustomizersRunInOrderAfterTheProperties() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.nats.connection-name=orders")
                .withUserConfiguration(OptionsCustomizers.class).run(context -> {
                    Connection connection = context.getBean(Connection.class);
                    assertThat(context.getBean("calls", List.class)).containsExactly("first", "second");
                    assertThat(connection.getOptions().getInboxPrefix()).isEqualTo("_SECOND.");
                    assertThat(connection.getOptions().getConnectionName()).isEqualTo("orders");
                    assertThat(connection.getOptions().getReconnectBufferSize()).isZero();
                });
    }

    @Test
    void aConnectionListenerFromACustomizerHearsTheConnectionNextToTheStarters() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url()).withUserConfiguration(ListeningCustomizer.class)
                .run(context -> {
                    assertThat(context.getBean(Connection.class).getStatus()).isEqualTo(Connection.Status.CONNECTED);
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                            context.getBean(ListeningCustomizer.class).events).contains(ConnectionListener.Events.CONNECTED));
                });
    }

    @Test
    void storeBuilderCustomizersRunInOrderAfterTheProperties() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=from-properties")
                .withUserConfiguration(StoreCustomizers.class).run(context -> {
                    assertThat(context.getBean("calls", List.class)).containsExactly("first", "second");
                    assertThat(((JetStreamEventStore) context.getBean(EventStore.class)).namespace())
                            .isEqualTo("from-second-customizer");
                });
    }

    @Test
    void subscriptionsBuilderCustomizersRunInOrder() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url()).withUserConfiguration(SubscriptionsCustomizers.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("calls", List.class)).containsExactly("first", "second");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Calls {
        @Bean
        List<String> calls() {
            return new CopyOnWriteArrayList<>();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OptionsCustomizers extends Calls {
        @Bean
        @Order(2)
        NatsOptionsCustomizer second(List<String> calls) {
            return builder -> {
                calls.add("second");
                builder.inboxPrefix("_SECOND");
            };
        }

        @Bean
        @Order(1)
        NatsOptionsCustomizer first(List<String> calls) {
            return builder -> {
                calls.add("first");
                builder.inboxPrefix("_FIRST");
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ListeningCustomizer implements NatsOptionsCustomizer {
        final List<ConnectionListener.Events> events = new CopyOnWriteArrayList<>();

        @Override
        public void customize(io.nats.client.Options.Builder builder) {
            builder.connectionListener((connection, event) -> events.add(event));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class StoreCustomizers extends Calls {
        @Bean
        @Order(2)
        JetStreamEventStoreBuilderCustomizer second(List<String> calls) {
            return builder -> {
                calls.add("second");
                builder.namespace("from-second-customizer");
            };
        }

        @Bean
        @Order(1)
        JetStreamEventStoreBuilderCustomizer first(List<String> calls) {
            return builder -> {
                calls.add("first");
                builder.namespace("from-first-customizer");
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SubscriptionsCustomizers extends Calls {
        @Bean
        @Order(2)
        JetStreamEventSubscriptionsBuilderCustomizer second(List<String> calls) {
            return builder -> calls.add("second");
        }

        @Bean
        @Order(1)
        JetStreamEventSubscriptionsBuilderCustomizer first(List<String> calls) {
            return builder -> calls.add("first");
        }
    }
}
