package dev.aether.spring.autoconfigure.metrics;

import dev.aether.SnapshotStore;
import dev.aether.spring.metrics.MeteredSnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;

/**
 * Wraps the starter's store bean ({@code aetherEventStore}) in a {@link MeteredSnapshotStore}. The
 * meter registry is looked up only when the store is created.
 */
final class AetherStoreMetricsPostProcessor implements BeanPostProcessor {

    static final String STORE_BEAN_NAME = "aetherEventStore";

    private final ObjectProvider<MeterRegistry> registry;
    private final Environment environment;

    AetherStoreMetricsPostProcessor(ObjectProvider<MeterRegistry> registry, Environment environment) {
        this.registry = registry;
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!STORE_BEAN_NAME.equals(beanName) || !(bean instanceof SnapshotStore store)
                || bean instanceof MeteredSnapshotStore) {
            return bean;
        }
        MeterRegistry meterRegistry = registry.getIfAvailable();
        if (meterRegistry == null) {
            return bean;
        }
        return new MeteredSnapshotStore(store, meterRegistry, environment.getProperty("aether.namespace", "default"));
    }
}
