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
                .withUserConfiguration(Customizers.class).run(context -> {
                    Connection connection = context.getBean(Connection.class);
                    assertThat(calls(context, "options")).containsExactly("options:first", "options:second");
                    assertThat(connection.getOptions().getInboxPrefix()).isEqualTo("from-options-second.");
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
                .withUserConfiguration(Customizers.class).run(context -> {
                    assertThat(calls(context, "store")).containsExactly("store:first", "store:second");
                    assertThat(((JetStreamEventStore) context.getBean(EventStore.class)).namespace())
                            .isEqualTo("from-store-second");
                });
    }

    @Test
    void subscriptionsBuilderCustomizersRunInOrder() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url()).withUserConfiguration(Customizers.class)
                .run(context -> assertThat(calls(context, "subscriptions"))
                        .containsExactly("subscriptions:first", "subscriptions:second"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> calls(org.springframework.context.ApplicationContext context, String kind) {
        return ((List<String>) context.getBean("calls", List.class)).stream().filter(call -> call.startsWith(kind + ":"))
                .toList();
    }

    /** Two customizers of each kind, declared out of order, noting each call as "kind:order". */
    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        List<String> calls() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        @Order(2)
        NatsOptionsCustomizer secondOptions(List<String> calls) {
            return builder -> builder.inboxPrefix(noted(calls, "options:second"));
        }

        @Bean
        @Order(1)
        NatsOptionsCustomizer firstOptions(List<String> calls) {
            return builder -> builder.inboxPrefix(noted(calls, "options:first"));
        }

        @Bean
        @Order(2)
        JetStreamEventStoreBuilderCustomizer secondStore(List<String> calls) {
            return builder -> builder.namespace(noted(calls, "store:second"));
        }

        @Bean
        @Order(1)
        JetStreamEventStoreBuilderCustomizer firstStore(List<String> calls) {
            return builder -> builder.namespace(noted(calls, "store:first"));
        }

        @Bean
        @Order(2)
        JetStreamEventSubscriptionsBuilderCustomizer secondSubscriptions(List<String> calls) {
            return builder -> noted(calls, "subscriptions:second");
        }

        @Bean
        @Order(1)
        JetStreamEventSubscriptionsBuilderCustomizer firstSubscriptions(List<String> calls) {
            return builder -> noted(calls, "subscriptions:first");
        }

        /** @return a value naming the customizer, usable as an inbox prefix or a namespace */
        private static String noted(List<String> calls, String call) {
            calls.add(call);
            return "from-" + call.replace(':', '-');
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
}
