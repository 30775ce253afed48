package dev.aether.spring.autoconfigure.health;

import dev.aether.EventStore;
import dev.aether.jetstream.JetStreamNames;
import dev.aether.spring.autoconfigure.AetherAutoConfiguration;
import dev.aether.spring.autoconfigure.AetherProperties;
import dev.aether.spring.health.AetherHealthIndicator;
import io.nats.client.Connection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code aether} health component ({@link AetherHealthIndicator}), when
 * Spring Boot's health support is on the class path and {@code management.health.aether.enabled} is
 * not false. Add it to the readiness group with
 * {@code management.endpoint.health.group.readiness.include=readinessState,aether}.
 */
@AutoConfiguration(after = AetherAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ EventStore.class, AetherProperties.class })
@ConditionalOnEnabledHealthIndicator("aether")
public final class AetherHealthContributorAutoConfiguration {

    AetherHealthContributorAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = { "aetherHealthIndicator", "aetherHealthContributor" })
    AetherHealthIndicator aetherHealthIndicator(AetherProperties properties, ObjectProvider<Connection> connection) {
        String type = properties.store().type().name().toLowerCase(java.util.Locale.ROOT);
        if (properties.store().type() != AetherProperties.StoreType.JETSTREAM) {
            return new AetherHealthIndicator(type, properties.namespace());
        }
        String prefix = properties.jetstream().effectiveStreamPrefix();
        return new AetherHealthIndicator(type, properties.namespace(), connection.getIfUnique(),
                JetStreamNames.streamName(prefix, properties.namespace()));
    }
}
