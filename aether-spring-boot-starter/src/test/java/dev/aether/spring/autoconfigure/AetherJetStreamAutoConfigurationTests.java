package dev.aether.spring.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import dev.aether.EventBus;
import dev.aether.EventStore;
import dev.aether.EventSubscriptions;
import dev.aether.SnapshotStore;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.jetstream.JetStreamEventSubscriptions;
import dev.aether.jetstream.NatsEventBus;
import dev.aether.jetstream.SubjectLayout;
import dev.aether.spring.AetherSubscriberRegistry;
import dev.aether.spring.autoconfigure.health.AetherHealthContributorAutoConfiguration;
import dev.aether.spring.health.AetherHealthIndicator;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.event;
import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The JetStream configuration against a private nats-server: beans, options, health, failures. */
class AetherJetStreamAutoConfigurationTests {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class,
                    AetherHealthContributorAutoConfiguration.class))
            .withPropertyValues("aether.store.type=jetstream", "aether.nats.reconnect.delay=100ms",
                    "aether.nats.drain-timeout=2s");

    @Test
    void createsTheConnectionStoreBusAndSubscriptionsFromProperties() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=beans").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Connection.class).hasBean("aetherNatsConnectionDrainer");
            assertThat(context.getBean(NatsConnectionDetails.class)).isInstanceOf(PropertiesNatsConnectionDetails.class);
            assertThat(context.getBean(EventStore.class)).isSameAs(context.getBean(SnapshotStore.class))
                    .isInstanceOf(JetStreamEventStore.class);
            assertThat(((JetStreamEventStore) context.getBean(EventStore.class)).namespace()).isEqualTo("beans");
            assertThat(context.getBean(EventBus.class)).isInstanceOf(NatsEventBus.class);
            assertThat(context.getBean(EventSubscriptions.class)).isInstanceOf(JetStreamEventSubscriptions.class);
            assertThat(context.getBean(dev.aether.spring.AetherSubscriptionFactory.class))
                    .isInstanceOf(DurableSubscriptionFactory.class);
            assertThat(context).hasSingleBean(AetherSubscriberRegistry.class);

            EventStore store = context.getBean(EventStore.class);
            store.saveEvent(event("order-1", 1));
            assertThat(store.getLatestVersion("order-1")).isEqualTo(1);
        });
    }

    @Test
    void theStoreCreatesItsStreamInTheConfiguredSubjectLayoutOrTheFlatDefault() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=layout-default").run(context ->
                assertThat(((JetStreamEventStore) context.getBean(EventStore.class)).subjectLayout())
                        .isEqualTo(SubjectLayout.FLAT));
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=layout-partitioned",
                "aether.jetstream.subject-layout=partitioned").run(context -> {
                    JetStreamEventStore store = (JetStreamEventStore) context.getBean(EventStore.class);
                    assertThat(store.subjectLayout()).isEqualTo(SubjectLayout.PARTITIONED);
                    store.saveEvent(event("order-1", 1));
                    assertThat(store.getLatestVersion("order-1")).isEqualTo(1);
                });
    }

    @Test
    void theStoresReadCacheHasTheConfiguredBoundOrTheDefault() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=cache").run(context ->
                assertThat(((JetStreamEventStore) context.getBean(EventStore.class)).readCacheEvents())
                        .isEqualTo(JetStreamEventStore.Builder.DEFAULT_READ_CACHE_EVENTS));
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=cache",
                "aether.jetstream.read-cache-events=0").run(context ->
                assertThat(((JetStreamEventStore) context.getBean(EventStore.class)).readCacheEvents()).isZero());
    }

    @Test
    void theConnectionSuitsAStore() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.nats.ping-interval=3s",
                "aether.nats.connection-name=orders-service").run(context -> {
                    Options options = context.getBean(Connection.class).getOptions();
                    assertThat(options.getMaxReconnect()).isEqualTo(-1);
                    assertThat(options.getReconnectBufferSize()).isZero();
                    assertThat(options.getPingInterval()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(options.getConnectionName()).isEqualTo("orders-service");
                });
    }

    @Test
    void theConnectionIsDrainedAndClosedOnShutdown() {
        Connection[] connection = new Connection[1];
        runner.withPropertyValues("aether.nats.servers=" + NATS.url()).run(context -> {
            connection[0] = context.getBean(Connection.class);
            assertThat(connection[0].getStatus()).isEqualTo(Connection.Status.CONNECTED);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(connection[0].getStatus()).isEqualTo(Connection.Status.CLOSED));
    }

    @Test
    void usesTheApplicationsOwnConnectionAndLeavesItOpen() {
        Connection own = NATS.connect();
        OwnConnectionConfiguration.connection = own;
        runner.withPropertyValues("aether.nats.servers=nats://127.0.0.1:1")
                .withUserConfiguration(OwnConnectionConfiguration.class).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Connection.class)
                            .doesNotHaveBean("aetherNatsConnectionDrainer");
                    assertThat(context.getBean(Connection.class)).isSameAs(own);
                    context.getBean(EventStore.class).saveEvent(event("own-1", 1));
                });
        assertThat(own.getStatus()).isEqualTo(Connection.Status.CONNECTED);
    }

    @Test
    void usesTheApplicationsConnectionDetails() {
        NatsConnectionDetails details = () -> List.of(NATS.url());
        runner.withPropertyValues("aether.nats.servers=nats://127.0.0.1:1")
                .withBean(NatsConnectionDetails.class, () -> details).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Connection.class).getConnectedUrl()).contains(String.valueOf(NATS.port()));
                });
    }

    @Test
    void healthShowsTheStreamAndTurnsDownWhileTheServerIsStopped() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=health").run(context -> {
            context.getBean(EventStore.class).saveEvent(event("h-1", 1));
            AetherHealthIndicator indicator = context.getBean("aetherHealthIndicator", AetherHealthIndicator.class);
            Health up = indicator.health(true);
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("storeType", "jetstream").containsEntry("namespace", "health")
                    .containsEntry("connection", "CONNECTED").containsEntry("server", NATS.url())
                    .containsEntry("stream", ((JetStreamEventStore) context.getBean(EventStore.class)).streamName())
                    .containsEntry("streamExists", true).containsEntry("messages", 1L);

            NATS.stop();
            await().atMost(WAIT).untilAsserted(() -> assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN));
            assertThat(indicator.health(true).getDetails()).containsKey("connection").doesNotContainEntry("connection",
                    "CONNECTED");

            NATS.start();
            await().atMost(WAIT).untilAsserted(() -> assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP));
        });
    }

    @Test
    void healthDetailsNeverShowCredentials() {
        runner.withPropertyValues("aether.nats.servers=nats://someone:hunter2@127.0.0.1:" + NATS.port()).run(context -> {
            assertThat(context).hasNotFailed();
            Health health = context.getBean("aetherHealthIndicator", AetherHealthIndicator.class).health(true);
            assertThat(health.toString()).doesNotContain("hunter2").doesNotContain("someone");
        });
    }

    @Test
    void anUnreachableServerFailsStartupNamingTheServersProperty() throws IOException {
        int closedPort = freePort();
        runner.withPropertyValues("aether.nats.servers=nats://app:pw-secret@127.0.0.1:" + closedPort,
                "aether.nats.connect-timeout=500ms").run(context -> {
                    assertThat(context).hasFailed();
                    String text = messages(context.getStartupFailure());
                    assertThat(text).contains("aether.nats.servers").contains("127.0.0.1:" + closedPort)
                            .doesNotContain("pw-secret");
                    NatsConnectionFailedException failure = findCause(context.getStartupFailure());
                    FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(failure.isAuthentication()).isFalse();
                    assertThat(analysis.getAction()).contains("aether.nats.startup-mode=connect-later");
                    assertThat(analysis.getDescription()).doesNotContain("pw-secret");
                });
    }

    @Test
    void withConnectLaterTheApplicationStartsDownAndComesUpWithTheServerAndItsSubscribers() {
        NATS.stop();
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.nats.startup-mode=connect-later",
                "aether.namespace=later").withBean(LateSubscriber.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(EventStore.class)).isInstanceOf(DeferredSnapshotStore.class);
                    AetherHealthIndicator indicator = context.getBean("aetherHealthIndicator", AetherHealthIndicator.class);
                    assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);

                    NATS.start();
                    await().atMost(WAIT).untilAsserted(() ->
                            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP));
                    AetherSubscriberRegistry registry = context.getBean(AetherSubscriberRegistry.class);
                    await().atMost(WAIT).until(() -> registry.isRunning("late"));
                    context.getBean(EventStore.class).saveEvent(event("late-1", 1));
                    assertThat(context.getBean(EventStore.class).getLatestVersion("late-1")).isEqualTo(1);
                    await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(LateSubscriber.class).events)
                            .extracting(dev.aether.Event::actorId).containsExactly("late-1"));
                });
    }

    @Test
    void aThrowingSubscriberGetsTheEventAgainThenItIsParkedAndOthersFlow() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=retries",
                "aether.subscribers.max-deliveries=2", "aether.subscribers.retry-backoff=100ms",
                "aether.subscribers.max-retry-backoff=100ms").withBean(AetherSubscriberTests.Failing.class)
                .run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    store.saveEvent(event("poison", 1));
                    store.saveEvent(event("fine", 1));
                    AetherSubscriberTests.Failing subscriber = context.getBean(AetherSubscriberTests.Failing.class);
                    await().atMost(WAIT).untilAsserted(() -> {
                        assertThat(subscriber.handled).extracting(dev.aether.Event::actorId).containsExactly("fine");
                        assertThat(subscriber.poisonAttempts).hasValue(2);
                    });
                });
    }

    @Test
    void aSubscriberStartingFromTheBeginningReplaysEventsSavedBeforeTheApplicationStarted() {
        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=replay").run(first ->
                first.getBean(EventStore.class).saveEvent(event("before-1", 1)));

        runner.withPropertyValues("aether.nats.servers=" + NATS.url(), "aether.namespace=replay")
                .withBean(ReplayingSubscriber.class).withBean(LateSubscriber.class).run(context -> {
                    AetherSubscriberRegistry registry = context.getBean(AetherSubscriberRegistry.class);
                    await().atMost(WAIT).until(() -> registry.isRunning("late") && registry.isRunning("replaying"));
                    context.getBean(EventStore.class).saveEvent(event("after-1", 1));

                    await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(ReplayingSubscriber.class).events)
                            .extracting(dev.aether.Event::actorId).containsExactly("before-1", "after-1"));
                    await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(LateSubscriber.class).events)
                            .extracting(dev.aether.Event::actorId).containsExactly("after-1"));
                });
    }

    /** A read model rebuilt from the whole stream at every start. */
    static class ReplayingSubscriber {
        final List<dev.aether.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @dev.aether.spring.AetherSubscriber(id = "replaying", startFrom = dev.aether.spring.AetherSubscriber.StartFrom.BEGINNING)
        void on(dev.aether.Event event) {
            events.add(event);
        }
    }

    /** A subscriber in an application that started before NATS did. */
    static class LateSubscriber {
        final List<dev.aether.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @dev.aether.spring.AetherSubscriber(id = "late")
        void on(dev.aether.Event event) {
            events.add(event);
        }
    }

    /** An application that manages its own connection: Spring must not close it, nor may the starter. */
    @Configuration(proxyBeanMethods = false)
    static class OwnConnectionConfiguration {
        static Connection connection;

        @Bean(destroyMethod = "")
        Connection ownConnection() {
            return connection;
        }
    }

    private static NatsConnectionFailedException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NatsConnectionFailedException found) {
                return found;
            }
        }
        throw new AssertionError("no NatsConnectionFailedException in " + failure);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
