package dev.aether.sample;

import dev.aether.spring.AetherSubscriberRegistry;
import dev.aether.spring.AetherSubscriptionFactory;
import dev.aether.spring.SubscriberDeliveryListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Temporary: the starter at fecba4e registers no {@link AetherSubscriberRegistry} (its
 * {@code @ConditionalOnBean} on the factory does not match); remove once the starter's fix is merged.
 */
@Configuration(proxyBeanMethods = false)
class TemporaryStarterFix {

    @Bean
    AetherSubscriberRegistry aetherSubscriberRegistry(AetherSubscriptionFactory factory) {
        return new AetherSubscriberRegistry(factory, SubscriberDeliveryListener.NONE, false);
    }
}
