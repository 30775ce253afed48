package dev.aether.spring.autoconfigure.actuate;

import dev.aether.EventSubscriptions;
import dev.aether.ParkedEvents;
import dev.aether.spring.AetherSubscriberRegistry;
import dev.aether.spring.actuate.AetherEndpoint;
import dev.aether.spring.autoconfigure.AetherAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link AetherEndpoint aether} actuator endpoint, when actuator is on the
 * class path and the endpoint is available (accessible and exposed, e.g.
 * {@code management.endpoints.web.exposure.include=health,aether}).
 */
@AutoConfiguration(after = AetherAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
public final class AetherEndpointAutoConfiguration {

    AetherEndpointAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AetherSubscriberRegistry.class)
    @ConditionalOnAvailableEndpoint
    AetherEndpoint aetherEndpoint(AetherSubscriberRegistry registry, ObjectProvider<EventSubscriptions> subscriptions) {
        EventSubscriptions found = subscriptions.getIfUnique();
        return new AetherEndpoint(registry, found instanceof ParkedEvents parked ? parked : null);
    }
}
