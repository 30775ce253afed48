package dev.aether.spring.autoconfigure;

import dev.aether.EventStore;
import dev.aether.SnapshotStore;
import dev.aether.spring.AetherSubscriptionFactory;
import dev.aether.spring.UpcastingSubscriptionFactory;
import dev.aether.upcast.UpcasterChain;
import dev.aether.upcast.UpcastingEventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Reads through the {@link dev.aether.upcast.EventUpcaster} beans: wraps the starter's store ({@code aetherEventStore})
 * in an {@link UpcastingEventStore} and its subscription factory ({@code aetherSubscriptionFactory}) in
 * an {@link UpcastingSubscriptionFactory}. Does nothing when there are no upcasters.
 */
final class AetherUpcastingPostProcessor implements BeanPostProcessor {

    static final String STORE_BEAN_NAME = "aetherEventStore";
    static final String SUBSCRIPTION_FACTORY_BEAN_NAME = "aetherSubscriptionFactory";

    private final ObjectProvider<UpcasterChain> chain;

    AetherUpcastingPostProcessor(ObjectProvider<UpcasterChain> chain) {
        this.chain = chain;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (STORE_BEAN_NAME.equals(beanName) && bean instanceof EventStore store) {
            UpcasterChain upcasters = upcasters();
            if (upcasters.isEmpty()) {
                return bean;
            }
            return store instanceof SnapshotStore snapshots ? UpcastingEventStore.wrap(snapshots, upcasters)
                    : UpcastingEventStore.wrap(store, upcasters);
        }
        if (SUBSCRIPTION_FACTORY_BEAN_NAME.equals(beanName) && bean instanceof AetherSubscriptionFactory factory) {
            UpcasterChain upcasters = upcasters();
            return upcasters.isEmpty() ? bean : new UpcastingSubscriptionFactory(factory, upcasters);
        }
        return bean;
    }

    private UpcasterChain upcasters() {
        return chain.getIfAvailable(UpcasterChain::empty);
    }
}
