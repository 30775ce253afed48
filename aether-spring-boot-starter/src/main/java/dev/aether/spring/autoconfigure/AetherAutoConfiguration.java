package dev.aether.spring.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.aether.EventBus;
import dev.aether.EventHandler;
import dev.aether.EventStore;
import dev.aether.EventSubscriptions;
import dev.aether.SnapshotStore;
import dev.aether.Subscription;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.jetstream.JetStreamEventSubscriptions;
import dev.aether.jetstream.NatsEventBus;
import dev.aether.memory.InMemoryEventBus;
import dev.aether.memory.InMemoryEventStore;
import dev.aether.memory.InMemoryEventSubscriptions;
import dev.aether.spring.AetherSubscriberAnnotationBeanPostProcessor;
import dev.aether.spring.AetherSubscriberEndpoint;
import dev.aether.spring.AetherSubscriberRegistry;
import dev.aether.spring.AetherSubscriptionFactory;
import dev.aether.spring.SubscriberDeliveryListener;
import dev.aether.spring.observation.AetherObservations;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.api.StorageType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;

/**
 * Auto-configuration of Aether: the event store (in-memory by default, JetStream with
 * {@code aether.store.type=jetstream}) and its durable subscriptions, the event bus, the NATS
 * connection, and the {@link dev.aether.spring.AetherSubscriber @AetherSubscriber} machinery, which
 * reads the store's subscriptions the same way on both stores. Every bean backs off when the
 * application defines one of the same type.
 */
@AutoConfiguration
@EnableConfigurationProperties(AetherProperties.class)
@ImportRuntimeHints(AetherRuntimeHints.class)
public final class AetherAutoConfiguration {

    AetherAutoConfiguration() {
    }

    /**
     * The in-memory store, its durable subscriptions (fed by the store itself) and the in-memory bus,
     * which carries only what the application publishes on it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnStoreType(AetherProperties.StoreType.MEMORY)
    static class MemoryStoreConfiguration {

        @Bean
        @ConditionalOnMissingBean(EventBus.class)
        InMemoryEventBus aetherEventBus() {
            return new InMemoryEventBus();
        }

        @Bean
        @ConditionalOnMissingBean(EventSubscriptions.class)
        InMemoryEventSubscriptions aetherEventSubscriptions() {
            return new InMemoryEventSubscriptions();
        }

        /**
         * The store of {@code aether.namespace} from the in-memory subscriptions, so that each save
         * reaches them; a plain in-memory store when the application brought other subscriptions.
         */
        @Bean
        @ConditionalOnMissingBean(EventStore.class)
        SnapshotStore aetherEventStore(ObjectProvider<EventSubscriptions> subscriptions, AetherProperties properties,
                ObjectProvider<ObservationRegistry> observationRegistry) {
            requireStoreType(properties, AetherProperties.StoreType.MEMORY);
            SnapshotStore store = subscriptions.getIfAvailable() instanceof InMemoryEventSubscriptions memory
                    ? memory.store(properties.namespace()) : new InMemoryEventStore();
            return observed(store, observations(observationRegistry, properties), properties);
        }

        @Bean
        @ConditionalOnMissingBean(AetherSubscriptionFactory.class)
        DurableSubscriptionFactory aetherSubscriptionFactory(EventSubscriptions subscriptions,
                AetherProperties properties) {
            return new DurableSubscriptionFactory(subscriptions, properties.subscribers()::toOptions);
        }
    }

    /** The NATS connection, the JetStream store and the NATS bus. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Connection.class)
    @ConditionalOnStoreType(AetherProperties.StoreType.JETSTREAM)
    static class JetStreamConfiguration {

        @Bean
        @ConditionalOnMissingBean(NatsConnectionDetails.class)
        PropertiesNatsConnectionDetails natsConnectionDetails(AetherProperties properties,
                ObjectProvider<SslBundles> sslBundles) {
            return new PropertiesNatsConnectionDetails(properties.nats(), sslBundles.getIfAvailable());
        }

        @Bean
        @ConditionalOnMissingBean(Connection.class)
        Connection aetherNatsConnection(AetherProperties properties, NatsConnectionDetails details,
                ObjectProvider<NatsOptionsCustomizer> customizers) {
            return new NatsConnectionFactory(properties.nats(), details, customizers.orderedStream().toList()).connect();
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(name = "aetherNatsConnection")
        NatsConnectionDrainer aetherNatsConnectionDrainer(@Qualifier("aetherNatsConnection") Connection connection,
                AetherProperties properties) {
            return new NatsConnectionDrainer(connection, properties.nats().drainTimeout());
        }

        @Bean
        @ConditionalOnMissingBean(EventStore.class)
        SnapshotStore aetherEventStore(Connection connection, AetherProperties properties,
                ObjectProvider<JetStreamEventStoreBuilderCustomizer> customizers,
                ObjectProvider<ObservationRegistry> observationRegistry) {
            requireStoreType(properties, AetherProperties.StoreType.JETSTREAM);
            return observed(store(connection, properties, customizers), observations(observationRegistry, properties),
                    properties);
        }

        private static SnapshotStore store(Connection connection, AetherProperties properties,
                ObjectProvider<JetStreamEventStoreBuilderCustomizer> customizers) {
            List<JetStreamEventStoreBuilderCustomizer> ordered = customizers.orderedStream().toList();
            if (properties.nats().startupMode() == AetherProperties.StartupMode.CONNECT_LATER) {
                DeferredSnapshotStore store = new DeferredSnapshotStore(() -> jetStreamStore(connection, properties, ordered));
                connection.addConnectionListener((source, event) -> {
                    if (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED) {
                        CompletableFuture.runAsync(store::tryInitialize);
                    }
                });
                if (connection.getStatus() == Connection.Status.CONNECTED) {
                    store.tryInitialize();
                }
                return store;
            }
            return jetStreamStore(connection, properties, ordered);
        }

        @Bean
        @ConditionalOnMissingBean(EventBus.class)
        NatsEventBus aetherEventBus(Connection connection, AetherProperties properties) {
            return new NatsEventBus(connection, streamPrefix(properties));
        }

        @Bean
        @ConditionalOnMissingBean(EventSubscriptions.class)
        EventSubscriptions aetherEventSubscriptions(Connection connection, AetherProperties properties,
                ObjectProvider<JetStreamEventSubscriptionsBuilderCustomizer> customizers) {
            List<JetStreamEventSubscriptionsBuilderCustomizer> ordered = customizers.orderedStream().toList();
            Supplier<JetStreamEventSubscriptions> factory = () -> {
                JetStreamEventSubscriptions.Builder builder = JetStreamEventSubscriptions.builder(connection)
                        .streamPrefix(streamPrefix(properties)).parkingReplicas(properties.jetstream().replicas())
                        .leaseReplicas(properties.jetstream().replicas());
                ordered.forEach(customizer -> customizer.customize(builder));
                return builder.build();
            };
            if (properties.nats().startupMode() == AetherProperties.StartupMode.CONNECT_LATER) {
                return new DeferredEventSubscriptions(factory);
            }
            return factory.get();
        }

        @Bean
        @ConditionalOnMissingBean(AetherSubscriptionFactory.class)
        DurableSubscriptionFactory aetherSubscriptionFactory(EventSubscriptions subscriptions,
                AetherProperties properties) {
            return new DurableSubscriptionFactory(subscriptions, properties.subscribers()::toOptions);
        }

        static String streamPrefix(AetherProperties properties) {
            return properties.jetstream().effectiveStreamPrefix();
        }

        static JetStreamEventStore jetStreamStore(Connection connection, AetherProperties properties,
                List<JetStreamEventStoreBuilderCustomizer> customizers) {
            AetherProperties.JetStream jetstream = properties.jetstream();
            JetStreamEventStore.Builder builder = JetStreamEventStore.builder(connection)
                    .namespace(properties.namespace())
                    .replicas(jetstream.replicas())
                    .storageType(jetstream.storage() == AetherProperties.Storage.MEMORY ? StorageType.Memory
                            : StorageType.File)
                    .maxAge(jetstream.maxAge())
                    .maxBytes(jetstream.maxBytes().toBytes())
                    .duplicateWindow(jetstream.duplicateWindow()).streamPrefix(streamPrefix(properties))
                    .readCacheEvents(jetstream.readCacheEvents())
                    .subjectLayout(jetstream.subjectLayout());
            customizers.forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }
    }

    /**
     * @return the observations to make, or null when {@code aether.observations.enabled} is false or
     *         there is no {@link ObservationRegistry} bean
     */
    static AetherObservations observations(ObjectProvider<ObservationRegistry> registry, AetherProperties properties) {
        ObservationRegistry found = properties.observations().enabled() ? registry.getIfAvailable() : null;
        return found == null ? null
                : new AetherObservations(found, properties.store().type().name().toLowerCase(Locale.ROOT));
    }

    /**
     * The store type is chosen by a condition, which Spring AOT evaluates when it processes the
     * application: at run time the property may name another store than the one that was built in.
     *
     * @throws InvalidConfigurationPropertyValueException naming {@code aether.store.type} if it does
     */
    private static void requireStoreType(AetherProperties properties, AetherProperties.StoreType built) {
        AetherProperties.StoreType configured = properties.store().type();
        if (configured != built) {
            throw new InvalidConfigurationPropertyValueException(OnStoreTypeCondition.PROPERTY,
                    configured.name().toLowerCase(Locale.ROOT), "the application was processed ahead of time "
                    + "(Spring AOT) with " + OnStoreTypeCondition.PROPERTY + "=" + built.name().toLowerCase(Locale.ROOT)
                    + "; process it again with the store type it runs with");
        }
    }

    private static SnapshotStore observed(SnapshotStore store, AetherObservations observations,
                                          AetherProperties properties) {
        return observations == null ? store : new ObservedSnapshotStore(store, observations, properties.namespace());
    }

    /** Finds {@code @AetherSubscriber} methods and runs their subscriptions. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "aether.subscribers.enabled", matchIfMissing = true)
    static class SubscriberConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean
        static AetherSubscriberAnnotationBeanPostProcessor aetherSubscriberAnnotationBeanPostProcessor() {
            return new AetherSubscriberAnnotationBeanPostProcessor();
        }

        @Bean
        @ConditionalOnMissingBean
        AetherSubscriberRegistry aetherSubscriberRegistry(ObjectProvider<AetherSubscriptionFactory> factory,
                ObjectProvider<SubscriberDeliveryListener> listener, AetherProperties properties,
                ObjectProvider<ObservationRegistry> observationRegistry) {
            AetherObservations observations = observations(observationRegistry, properties);
            return new AetherSubscriberRegistry(factory.getIfAvailable(() -> SubscriberConfiguration::noFactory),
                    listener.getIfAvailable(() -> SubscriberDeliveryListener.NONE),
                    properties.nats().startupMode() == AetherProperties.StartupMode.CONNECT_LATER,
                    observations == null ? AetherObservations.none() : observations);
        }

        private static Subscription noFactory(AetherSubscriberEndpoint endpoint, EventHandler handler) {
            throw new IllegalStateException("@AetherSubscriber " + endpoint.id() + " cannot subscribe: there is no "
                    + "AetherSubscriptionFactory bean (the EventStore in use offers no subscriptions; define one)");
        }
    }
}
