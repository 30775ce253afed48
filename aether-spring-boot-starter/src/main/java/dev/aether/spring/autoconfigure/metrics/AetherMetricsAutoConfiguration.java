package dev.aether.spring.autoconfigure.metrics;

import dev.aether.EventBus;
import dev.aether.spring.SubscriberDeliveryListener;
import dev.aether.spring.autoconfigure.AetherAutoConfiguration;
import dev.aether.spring.metrics.EventBusMetrics;
import dev.aether.spring.metrics.MicrometerSubscriberDeliveryListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Aether's Micrometer metrics ({@code aether.store.*}, {@code aether.subscriber.*},
 * {@code aether.bus.*})
 * when Micrometer is on the class path and a {@link MeterRegistry} bean exists.
 */
@AutoConfiguration(after = AetherAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class AetherMetricsAutoConfiguration {

    AetherMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    static AetherStoreMetricsPostProcessor aetherStoreMetricsPostProcessor(ObjectProvider<MeterRegistry> registry,
            Environment environment) {
        return new AetherStoreMetricsPostProcessor(registry, environment);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(EventBus.class)
    EventBusMetrics aetherEventBusMetrics(EventBus eventBus) {
        return new EventBusMetrics(eventBus);
    }

    @Bean
    @ConditionalOnMissingBean(SubscriberDeliveryListener.class)
    MicrometerSubscriberDeliveryListener aetherSubscriberDeliveryListener(MeterRegistry registry) {
        return new MicrometerSubscriberDeliveryListener(registry);
    }
}
