package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.EventStore;
import dev.aether.EventSubscriptions;
import dev.aether.SnapshotStore;
import dev.aether.VersionConflictException;
import dev.aether.memory.InMemoryEventBus;
import dev.aether.memory.InMemoryEventStore;
import dev.aether.memory.InMemoryEventSubscriptions;
import dev.aether.spring.AetherSubscriberAnnotationBeanPostProcessor;
import dev.aether.spring.AetherSubscriberRegistry;
import dev.aether.spring.AetherSubscriptionFactory;
import dev.aether.spring.autoconfigure.health.AetherHealthContributorAutoConfiguration;
import dev.aether.spring.autoconfigure.metrics.AetherMetricsAutoConfiguration;
import dev.aether.spring.health.AetherHealthIndicator;
import dev.aether.spring.metrics.MeteredSnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Conditions, back-offs, property binding and bad values of the starter, without NATS. */
class AetherAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class,
                    AetherHealthContributorAutoConfiguration.class, AetherMetricsAutoConfiguration.class));

    @Test
    void startsOnTheInMemoryStoreWithoutAnyProperty() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(EventStore.class).hasSingleBean(SnapshotStore.class)
                    .hasSingleBean(EventBus.class).hasSingleBean(AetherSubscriberRegistry.class)
                    .hasSingleBean(AetherSubscriberAnnotationBeanPostProcessor.class)
                    .doesNotHaveBean(Connection.class).doesNotHaveBean(NatsConnectionDetails.class);
            InMemoryEventSubscriptions subscriptions = context.getBean(InMemoryEventSubscriptions.class);
            assertThat(context.getBean(EventSubscriptions.class)).isSameAs(subscriptions);
            assertThat(context.getBean(EventStore.class)).isSameAs(context.getBean(SnapshotStore.class))
                    .isSameAs(subscriptions.store("default"));
            assertThat(context.getBean(EventBus.class)).isInstanceOf(InMemoryEventBus.class);
            assertThat(context.getBean(AetherSubscriptionFactory.class)).isInstanceOf(DurableSubscriptionFactory.class);
        });
    }

    @Test
    void theInMemoryStoreSavesAndReads() {
        runner.run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.saveEvent(event("order-1", 1));
            assertThat(store.getLatestVersion("order-1")).isEqualTo(1);
            assertThat(store.getEvents("order-1", 0)).extracting(Event::version).containsExactly(1L);
            assertThatThrownBy(() -> store.saveEvent(event("order-1", 1))).isInstanceOf(VersionConflictException.class);
        });
    }

    @Test
    void backsOffFromTheApplicationsEventStore() {
        runner.withUserConfiguration(OwnStoreConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(EventStore.class);
            assertThat(context.getBean(EventStore.class)).isSameAs(context.getBean("ownStore"));
        });
    }

    @Test
    void backsOffFromTheApplicationsEventBus() {
        runner.withUserConfiguration(OwnBusConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(EventBus.class);
            assertThat(context.getBean(EventBus.class)).isSameAs(context.getBean("ownBus"));
        });
    }

    @Test
    void backsOffFromTheApplicationsSubscriptionFactoryAndRegistry() {
        runner.withUserConfiguration(OwnSubscriberInfrastructure.class).run(context -> {
            assertThat(context.getBean(AetherSubscriptionFactory.class)).isSameAs(context.getBean("ownFactory"));
            assertThat(context.getBean(AetherSubscriberRegistry.class)).isSameAs(context.getBean("ownRegistry"));
        });
    }

    @Test
    void subscribersCanBeSwitchedOff() {
        runner.withPropertyValues("aether.subscribers.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventStore.class)
                    .doesNotHaveBean(AetherSubscriberRegistry.class)
                    .doesNotHaveBean(AetherSubscriberAnnotationBeanPostProcessor.class);
        });
    }

    @Test
    void bindsEveryProperty() {
        runner.withPropertyValues("aether.namespace=tenant-a.orders", "aether.store.type=memory",
                "aether.nats.servers=nats://a:4222,tls://b:4333", "aether.nats.connection-name=orders",
                "aether.nats.connect-timeout=3s", "aether.nats.ping-interval=2s", "aether.nats.reconnect.max-attempts=7",
                "aether.nats.reconnect.delay=250ms", "aether.nats.drain-timeout=4s",
                "aether.nats.startup-mode=connect-later", "aether.nats.username=app", "aether.nats.password=pw",
                "aether.nats.tls.trust-store=/etc/trust.p12", "aether.nats.tls.trust-store-password=tpw",
                "aether.jetstream.replicas=3", "aether.jetstream.storage=memory", "aether.jetstream.max-age=30d",
                "aether.jetstream.max-bytes=10GB", "aether.jetstream.duplicate-window=5m",
                "aether.jetstream.stream-prefix=SHOP", "aether.jetstream.read-cache-events=1000",
                "aether.jetstream.subject-layout=partitioned",
                "aether.subscribers.max-deliveries=9",
                "aether.subscribers.retry-backoff=200ms", "aether.subscribers.max-retry-backoff=10s").run(context -> {
                    AetherProperties properties = context.getBean(AetherProperties.class);
                    assertThat(properties.namespace()).isEqualTo("tenant-a.orders");
                    assertThat(properties.store().type()).isEqualTo(AetherProperties.StoreType.MEMORY);
                    AetherProperties.Nats nats = properties.nats();
                    assertThat(nats.servers()).containsExactly("nats://a:4222", "tls://b:4333");
                    assertThat(nats.connectionName()).isEqualTo("orders");
                    assertThat(nats.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(nats.pingInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(nats.reconnect().maxAttempts()).isEqualTo(7);
                    assertThat(nats.reconnect().delay()).isEqualTo(Duration.ofMillis(250));
                    assertThat(nats.drainTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(nats.startupMode()).isEqualTo(AetherProperties.StartupMode.CONNECT_LATER);
                    assertThat(nats.username()).isEqualTo("app");
                    assertThat(nats.password()).isEqualTo("pw");
                    assertThat(nats.tls().trustStore()).isEqualTo("/etc/trust.p12");
                    assertThat(nats.tls().active()).isTrue();
                    AetherProperties.JetStream jetstream = properties.jetstream();
                    assertThat(jetstream.replicas()).isEqualTo(3);
                    assertThat(jetstream.storage()).isEqualTo(AetherProperties.Storage.MEMORY);
                    assertThat(jetstream.maxAge()).isEqualTo(Duration.ofDays(30));
                    assertThat(jetstream.maxBytes()).isEqualTo(DataSize.ofGigabytes(10));
                    assertThat(jetstream.duplicateWindow()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(jetstream.streamPrefix()).isEqualTo("SHOP");
                    assertThat(jetstream.readCacheEvents()).isEqualTo(1000);
                    assertThat(jetstream.subjectLayout()).isEqualTo(dev.aether.jetstream.SubjectLayout.PARTITIONED);
                    AetherProperties.Subscribers subscribers = properties.subscribers();
                    assertThat(subscribers.maxDeliveries()).isEqualTo(9);
                    assertThat(subscribers.retryBackoff()).isEqualTo(Duration.ofMillis(200));
                    assertThat(subscribers.maxRetryBackoff()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(context.getBean(EventStore.class))
                            .isSameAs(context.getBean(InMemoryEventSubscriptions.class).store("tenant-a.orders"));
                });
    }

    @Test
    void theDefaultsSuitAStore() {
        runner.run(context -> {
            AetherProperties properties = context.getBean(AetherProperties.class);
            assertThat(properties.store().type()).isEqualTo(AetherProperties.StoreType.MEMORY);
            assertThat(properties.namespace()).isEqualTo("default");
            assertThat(properties.nats().servers()).containsExactly("nats://localhost:4222");
            assertThat(properties.nats().reconnect().maxAttempts()).isEqualTo(-1);
            assertThat(properties.nats().startupMode()).isEqualTo(AetherProperties.StartupMode.FAIL);
            assertThat(properties.jetstream().replicas()).isEqualTo(1);
            assertThat(properties.jetstream().maxAge()).isZero();
            assertThat(properties.jetstream().maxBytes().toBytes()).isEqualTo(-1);
            assertThat(properties.subscribers().enabled()).isTrue();
            assertThat(properties.subscribers().maxDeliveries()).isEqualTo(5);
        });
    }

    @Test
    void propertiesNeverPrintTheirSecrets() {
        runner.withPropertyValues("aether.nats.servers=nats://app:url-secret@a:4222", "aether.nats.username=app",
                "aether.nats.password=pw-secret", "aether.nats.token=token-secret", "aether.nats.nkey-seed=SUseed-secret",
                "aether.nats.tls.key-store-password=ks-secret").run(context -> {
                    String text = context.getBean(AetherProperties.class).toString();
                    assertThat(text).contains("app").doesNotContain("url-secret", "pw-secret", "token-secret",
                            "seed-secret", "ks-secret");
                });
    }

    @Test
    void anUnknownStoreTypeFailsStartupNamingTheProperty() {
        assertStartupFailureNames("aether.store.type", "aether.store.type=cassandra");
    }

    @Test
    void zeroReplicasFailStartupNamingTheProperty() {
        assertStartupFailureNames("aether.jetstream.replicas", "aether.jetstream.replicas=0");
    }

    @Test
    void aMalformedUrlFailsStartupNamingTheProperty() {
        assertStartupFailureNames("aether.nats.servers[1]", "aether.nats.servers=nats://ok:4222,nats//broken");
        assertStartupFailureNames("aether.nats.servers[0]", "aether.nats.servers=http://a:4222");
    }

    @Test
    void aMalformedUrlIsShownWithoutItsPassword() {
        runner.withPropertyValues("aether.nats.servers=nats://u:very-secret@host:99999/x").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("aether.nats.servers[0]")
                    .doesNotContain("very-secret");
        });
    }

    @Test
    void aMalformedNamespaceFailsStartupNamingTheProperty() {
        assertStartupFailureNames("aether.namespace", "aether.namespace=orders.*");
    }

    @Test
    void otherBadValuesFailStartupNamingTheProperty() {
        assertStartupFailureNames("aether.subscribers.max-deliveries", "aether.subscribers.max-deliveries=0");
        assertStartupFailureNames("aether.jetstream.stream-prefix", "aether.jetstream.stream-prefix=a.b");
        assertStartupFailureNames("aether.nats.connect-timeout", "aether.nats.connect-timeout=0s");
        assertStartupFailureNames("aether.nats.reconnect.max-attempts", "aether.nats.reconnect.max-attempts=-2");
        assertStartupFailureNames("aether.nats.tls.bundle", "aether.nats.tls.bundle=b", "aether.nats.tls.trust-store=t");
    }

    @Test
    void anSslBundleWithoutBundlesFailsStartupNamingTheProperty() {
        assertStartupFailureNames("aether.nats.tls.bundle", "aether.store.type=jetstream", "aether.nats.tls.bundle=nats");
    }

    @Test
    void aMalformedNkeySeedFailsStartupWithoutPrintingIt() {
        runner.withPropertyValues("aether.store.type=jetstream", "aether.nats.nkey-seed=SUnot-a-seed-secret")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure())).contains("aether.nats.nkey-seed")
                            .doesNotContain("not-a-seed-secret");
                });
    }

    @Test
    void jetStreamNeedsTheNatsClient() {
        runner.withClassLoader(new FilteredClassLoader(Connection.class))
                .withPropertyValues("aether.store.type=jetstream").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(Connection.class)
                            .doesNotHaveBean(EventStore.class).doesNotHaveBean(AetherHealthIndicator.class);
                });
    }

    @Test
    void theHealthComponentReportsTheInMemoryStore() {
        runner.run(context -> {
            assertThat(context).hasBean("aetherHealthIndicator");
            Health health = context.getBean("aetherHealthIndicator", AetherHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("storeType", "memory").containsEntry("namespace", "default");
        });
    }

    @Test
    void theHealthComponentCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.aether.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("aetherHealthIndicator"));
    }

    @Test
    void theHealthComponentBacksOffFromTheApplicationsOwn() {
        runner.withBean("aetherHealthIndicator", AetherHealthIndicator.class, () -> new AetherHealthIndicator("own", "x"))
                .run(context -> assertThat(context.getBean("aetherHealthIndicator", AetherHealthIndicator.class)
                        .health(true).getDetails()).containsEntry("storeType", "own"));
    }

    @Test
    void recordsStoreMetricsWhenAMeterRegistryExists() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            assertThat(store).isInstanceOf(MeteredSnapshotStore.class);
            store.saveEvent(event("order-1", 1));
            assertThatThrownBy(() -> store.saveEvent(event("order-1", 1))).isInstanceOf(VersionConflictException.class);
            store.getEvents("order-1", 0);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("aether.store.save").tags("namespace", "default", "outcome", "success").timer()
                    .count()).isEqualTo(1);
            assertThat(registry.get("aether.store.save").tags("outcome", "conflict").timer().count()).isEqualTo(1);
            assertThat(registry.get("aether.store.conflicts").counter().count()).isEqualTo(1.0);
            assertThat(registry.get("aether.store.read").tags("operation", "events").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void recordsAsynchronousSavesOnCompletionWithTheirOutcome() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.saveEventsAsync(List.of(event("order-2", 1), event("order-2", 2))).join();
            assertThat(store.saveEventAsync(event("order-2", 2))).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(VersionConflictException.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("aether.store.save").tags("outcome", "success").timer().count()).isEqualTo(1);
            assertThat(registry.get("aether.store.save").tags("outcome", "conflict").timer().count()).isEqualTo(1);
            assertThat(registry.get("aether.store.conflicts").counter().count()).isEqualTo(1.0);
        });
    }

    @Test
    void bindsTheBusCountersWhenAMeterRegistryExists() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(AetherSubscriberTests.Failing.class)
                .withPropertyValues("aether.subscribers.max-deliveries=1").run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(EventStore.class).saveEvent(event("poison", 1));
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                            assertThat(registry.get("aether.subscriber.parked").counter().count()).isEqualTo(1.0));
                    assertThat(registry.get("aether.bus.dropped").tags("bus", "memory").functionCounter().count())
                            .isZero();
                    assertThat(registry.get("aether.bus.handler.failures").tags("bus", "memory").functionCounter())
                            .isNotNull();
                });
    }

    @Test
    void recordsNoMetricsWithoutAMeterRegistry() {
        runner.run(context -> assertThat(context.getBean(EventStore.class)).isNotInstanceOf(MeteredSnapshotStore.class));
    }

    @Test
    void worksWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventStore.class);
            assertThat(context.getBean(EventStore.class)).isInstanceOf(InMemoryEventStore.class);
        });
    }

    private void assertStartupFailureNames(String property, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(property);
        });
    }

    static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    static Event event(String actor, long version) {
        return Event.builder().eventType("OrderPlaced").actorId(actor).version(version).build();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStoreConfiguration {
        @Bean
        InMemoryEventStore ownStore() {
            return new InMemoryEventStore();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBusConfiguration {
        @Bean
        InMemoryEventBus ownBus() {
            return new InMemoryEventBus(10);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSubscriberInfrastructure {
        @Bean
        AetherSubscriptionFactory ownFactory() {
            return (endpoint, handler) -> () -> {
            };
        }

        @Bean
        AetherSubscriberRegistry ownRegistry(AetherSubscriptionFactory ownFactory) {
            return new AetherSubscriberRegistry(ownFactory, dev.aether.spring.SubscriberDeliveryListener.NONE, false);
        }
    }

}
