package dev.aether.sample;

import dev.aether.jetstream.JetStreamEventSubscriptions;
import io.nats.client.Connection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Temporary: the starter at 7b559e9 offers no {@code EventSubscriptions} bean for JetStream yet, so
 * {@code @AetherSubscriber} methods could not subscribe; remove once the starter provides it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "aether.store.type", havingValue = "jetstream")
class TemporaryJetStreamSubscriptions {

    @Bean(destroyMethod = "close")
    JetStreamEventSubscriptions aetherEventSubscriptions(Connection connection) {
        return JetStreamEventSubscriptions.builder(connection).build();
    }
}
