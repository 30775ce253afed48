package dev.aether.jetstream;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.PermissionDeniedException;
import dev.aether.StartPosition;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tenants on one account kept apart by per-user subject permissions, as docs/security.md configures them, on a
 * real nats-server: a user allowed only tenant-a's namespace saves, reads and subscribes there and gets a
 * {@link PermissionDeniedException} naming the refused subject for tenant-b's store, bucket, stream and
 * consumers; a reader-only user reads and subscribes but cannot save.
 */
class JetStreamTenantPermissionsTest {

    /** Publish permissions of an application that saves, reads and snapshots events of namespace tenant-a. */
    static final String WRITER = """
            "AETHER.tenant-a.*",
            "$KV.AETHER_snapshots_tenant-a.>",
            """;
    /** Publish permissions of an application that reads events and snapshots of tenant-a. */
    static final String READER = """
            "$JS.API.STREAM.INFO.AETHER_tenant-a",
            "$JS.API.STREAM.MSG.GET.AETHER_tenant-a",
            "$JS.API.CONSUMER.CREATE.AETHER_tenant-a.>",
            "$JS.API.CONSUMER.MSG.NEXT.AETHER_tenant-a.*",
            "$JS.API.CONSUMER.DELETE.AETHER_tenant-a.*",
            "$JS.API.CONSUMER.INFO.AETHER_tenant-a.*",
            "$JS.API.STREAM.INFO.KV_AETHER_snapshots_tenant-a",
            "$JS.API.STREAM.MSG.GET.KV_AETHER_snapshots_tenant-a",
            """;
    /** Publish permissions a durable subscription on tenant-a needs beyond the reader's. */
    static final String SUBSCRIBER = """
            "$JS.ACK.AETHER_tenant-a.>",
            "$JS.API.STREAM.INFO.AETHER__PARKED",
            "AETHER_parked.*.tenant-a",
            """;
    /** Publish permissions a partitioned subscription with durable name a-ledger needs beyond the subscriber's. */
    static final String PARTITIONED = """
            "$JS.API.CONSUMER.NAMES.AETHER_tenant-a",
            "$JS.API.STREAM.INFO.KV_AETHER_leases",
            "$JS.API.STREAM.MSG.GET.KV_AETHER_leases",
            "$JS.API.CONSUMER.CREATE.KV_AETHER_leases.>",
            "$JS.API.CONSUMER.CREATE.KV_AETHER_leases",
            "$JS.API.CONSUMER.INFO.KV_AETHER_leases.*",
            "$JS.API.CONSUMER.DELETE.KV_AETHER_leases.*",
            "$JS.FC.KV_AETHER_leases.>",
            "$KV.AETHER_leases.a-ledger.>",
            "$JS.API.STREAM.INFO.KV_AETHER_handed",
            "$JS.API.STREAM.MSG.GET.KV_AETHER_handed",
            "$KV.AETHER_handed.a-ledger.>",
            """;

    /**
     * The permissions of a user that saves, reads and subscribes (partitioned, durable name p-ledger) in namespace
     * tenant-p, whose stream has the partitioned subject layout: the writer's actor subjects have ten more tokens.
     */
    static final String PARTITIONED_LAYOUT_USER = """
            "AETHER.tenant-p.*.*.*.*.*.*.*.*.*.*.*",
            "$KV.AETHER_snapshots_tenant-p.>",
            """ + (READER + SUBSCRIBER + PARTITIONED).replace("tenant-a", "tenant-p").replace("a-ledger", "p-ledger");

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension().withConfiguration("""
            accounts {
              APP {
                jetstream: enabled
                users: [
                  { user: provisioner, password: provisioner-secret }
                  { user: tenant-a-app, password: a-secret, permissions: {
                      publish: { allow: [ %s %s %s ] }
                      subscribe: { allow: [ "_INBOX_tenant-a-app.>" ] } } }
                  { user: tenant-a-reader, password: r-secret, permissions: {
                      publish: { allow: [ %s %s ] }
                      subscribe: { allow: [ "_INBOX_tenant-a-reader.>" ] } } }
                  { user: tenant-a-partitioned, password: p-secret, permissions: {
                      publish: { allow: [ %s %s %s ] }
                      subscribe: { allow: [ "_INBOX_tenant-a-partitioned.>" ] } } }
                  { user: tenant-p-app, password: tp-secret, permissions: {
                      publish: { allow: [ %s ] }
                      subscribe: { allow: [ "_INBOX_tenant-p-app.>" ] } } }
                ]
              }
            }
            """.formatted(WRITER, READER, SUBSCRIBER, READER, SUBSCRIBER, READER, SUBSCRIBER, PARTITIONED,
            PARTITIONED_LAYOUT_USER));

    private static final List<Connection> CONNECTIONS = new ArrayList<>();
    private static final Duration REFUSAL_WITHIN = Duration.ofSeconds(8);

    @BeforeAll
    static void provisionBothTenants() throws Exception {
        Connection provisioner = connect("provisioner", "provisioner-secret");
        JetStreamEventStore.builder(provisioner).namespace("tenant-a").build();
        JetStreamEventStore.builder(provisioner).namespace("tenant-p").subjectLayout(SubjectLayout.PARTITIONED).build();
        JetStreamEventStore tenantB = JetStreamEventStore.builder(provisioner).namespace("tenant-b").build();
        tenantB.saveEvent(event("b-1", 1));
        tenantB.saveSnapshot(new ActorSnapshot("b-1", 1, Map.of("secret", "of tenant-b")));
        JetStreamEventSubscriptions.builder(provisioner).build().subscribe("tenant-b", SubscriptionFilter.all(),
                (namespace, event) -> { }, SubscriptionOptions.builder().durableName("b-billing").build()).close();
        // the lease bucket, like every stream, is created by the provisioner: tenants only use it
        JetStreamEventSubscriptions.builder(provisioner).build().subscribe("tenant-b", SubscriptionFilter.all(),
                (namespace, event) -> { }, SubscriptionOptions.builder().durableName("b-ledger").partitions(2).build())
                .close();
    }

    @AfterAll
    static void closeConnections() throws InterruptedException {
        for (Connection connection : CONNECTIONS) {
            connection.close();
        }
    }

    /** Long enough for a read to walk back and then use an ordered consumer, each needing its permissions. */
    private static final int LONG_ACTOR = ActorReader.WALK_MIN + ActorReader.LONG_READ + 2;

    @Test
    void aTenantUserSavesReadsSnapshotsAndSubscribesInItsOwnNamespace() {
        Connection app = connect("tenant-a-app", "a-secret");
        JetStreamEventStore store = JetStreamEventStore.builder(app).namespace("tenant-a").build();
        String actor = "a-" + UUID.randomUUID();
        List<Event> received = new CopyOnWriteArrayList<>();
        JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(app).build();
        try (var subscription = subscriptions.subscribe("tenant-a", SubscriptionFilter.all(),
                (namespace, event) -> received.add(event), SubscriptionOptions.builder().durableName("a-billing").build())) {
            for (long v = 1; v <= LONG_ACTOR; v++) {
                store.saveEvent(event(actor, v));
            }
            store.saveSnapshot(new ActorSnapshot(actor, 3, Map.of("n", 3)));

            assertThat(store.getEvents(actor, 0)).hasSize(LONG_ACTOR);
            assertThat(store.getEvents(actor, LONG_ACTOR)).hasSize(1);
            assertThat(store.getLatestSnapshot(actor)).get().extracting(ActorSnapshot::version).isEqualTo(3L);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.stream()
                    .filter(e -> e.actorId().equals(actor)).count() == LONG_ACTOR);
        } finally {
            subscriptions.close();
        }
    }

    @Test
    void aTenantUserIsRefusedTenantBsStoreNamingThePermission() {
        Connection app = connect("tenant-a-app", "a-secret");
        long started = System.nanoTime();

        assertThatThrownBy(() -> JetStreamEventStore.builder(app).namespace("tenant-b").build())
                .isInstanceOfSatisfying(PermissionDeniedException.class, e -> assertThat(e.violation())
                        .containsIgnoringCase("permissions violation").contains("AETHER_tenant-b"))
                .hasMessageContaining("AETHER_tenant-b").hasMessageContaining("$JS.API.STREAM.INFO.AETHER_tenant-b");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REFUSAL_WITHIN);
    }

    @Test
    void aTenantUserIsRefusedTenantBsConsumers() {
        Connection app = connect("tenant-a-app", "a-secret");
        JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(app).build();
        try {
            assertThatThrownBy(() -> subscriptions.subscribe("tenant-b", SubscriptionFilter.all(), (n, e) -> { },
                    SubscriptionOptions.builder().durableName("b-billing").build()))
                    .isInstanceOfSatisfying(PermissionDeniedException.class, e -> assertThat(e.violation())
                            .containsIgnoringCase("permissions violation").contains("AETHER_tenant-b"));
        } finally {
            subscriptions.close();
        }
    }

    @Test
    void aTenantUserCannotReachTenantBsStreamOrBucketThroughNatsEither() throws Exception {
        Connection app = connect("tenant-a-app", "a-secret");

        assertThatThrownBy(() -> app.jetStreamManagement().getLastMessage("AETHER_tenant-b", "AETHER.tenant-b.b-1"))
                .isInstanceOf(java.io.IOException.class);
        assertThat(app.getLastError()).containsIgnoringCase("permissions violation").contains("AETHER_tenant-b");
        assertThatThrownBy(() -> app.keyValue("AETHER_snapshots_tenant-b").get("b-1"))
                .isInstanceOf(java.io.IOException.class);
        assertThat(app.getLastError()).containsIgnoringCase("permissions violation").contains("KV_AETHER_snapshots_tenant-b");
        app.publish("AETHER.tenant-b.b-1", new byte[] {1});
        app.flush(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(app.getLastError())
                .contains("AETHER.tenant-b.b-1"));
    }

    @Test
    void aPartitionedSubscriberNeedsTheLeaseBucketAndItsOwnKeysOnly() {
        Connection writer = connect("tenant-a-app", "a-secret");
        String actor = "p-" + UUID.randomUUID();
        JetStreamEventStore.builder(writer).namespace("tenant-a").build().saveEvent(event(actor, 1));
        JetStreamEventSubscriptions withoutLeases = JetStreamEventSubscriptions.builder(writer).build();
        try {
            assertThatThrownBy(() -> withoutLeases.subscribe("tenant-a", SubscriptionFilter.all(), (n, e) -> { },
                    SubscriptionOptions.builder().durableName("a-ledger").partitions(2).build()))
                    .isInstanceOf(PermissionDeniedException.class);
        } finally {
            withoutLeases.close();
        }

        Connection partitioned = connect("tenant-a-partitioned", "p-secret");
        List<Event> received = new CopyOnWriteArrayList<>();
        JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(partitioned).build();
        try (var subscription = subscriptions.subscribe("tenant-a", SubscriptionFilter.all(),
                (namespace, event) -> received.add(event), SubscriptionOptions.builder().durableName("a-ledger")
                        .partitions(2).startPosition(StartPosition.beginning()).build())) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received)
                    .as("last error: %s", partitioned.getLastError()).anyMatch(e -> e.actorId().equals(actor)));
            assertThat(((dev.aether.PartitionAware) subscription).ownedPartitions()).containsExactly(0, 1);
            assertThatThrownBy(() -> subscriptions.subscribe("tenant-a", SubscriptionFilter.all(), (n, e) -> { },
                    SubscriptionOptions.builder().durableName("x-ledger").partitions(2).build()))
                    .isInstanceOfSatisfying(PermissionDeniedException.class, e -> assertThat(e.violation())
                            .contains("$KV.AETHER_leases.x-ledger.members."));
        } finally {
            subscriptions.close();
        }
    }

    @Test
    void onAPartitionedLayoutStreamTheWriterPermissionCoversTheLongerActorSubjectsAndNothingElseChanges() {
        Connection app = connect("tenant-p-app", "tp-secret");
        JetStreamEventStore store = JetStreamEventStore.builder(app).namespace("tenant-p").build();
        assertThat(store.subjectLayout()).isEqualTo(SubjectLayout.PARTITIONED);
        String actor = "p-" + UUID.randomUUID();
        List<Event> received = new CopyOnWriteArrayList<>();
        JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(app).build();
        try (var subscription = subscriptions.subscribe("tenant-p", SubscriptionFilter.all(),
                (namespace, event) -> received.add(event), SubscriptionOptions.builder().durableName("p-ledger")
                        .partitions(2).startPosition(StartPosition.beginning()).build())) {
            for (long v = 1; v <= LONG_ACTOR; v++) {
                store.saveEvent(event(actor, v));
            }
            store.saveSnapshot(new ActorSnapshot(actor, 3, Map.of("n", 3)));

            assertThat(store.getEvents(actor, 0)).hasSize(LONG_ACTOR);
            assertThat(store.getLatestSnapshot(actor)).get().extracting(ActorSnapshot::version).isEqualTo(3L);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received.stream()
                    .filter(e -> e.actorId().equals(actor)).count()).as("last error: %s", app.getLastError())
                    .isEqualTo(LONG_ACTOR));
        } finally {
            subscriptions.close();
        }
    }

    @Test
    void aReaderReadsAndSubscribesButCannotSave() {
        Connection writer = connect("tenant-a-app", "a-secret");
        String actor = "r-" + UUID.randomUUID();
        JetStreamEventStore.builder(writer).namespace("tenant-a").build().saveEvent(event(actor, 1));
        Connection reader = connect("tenant-a-reader", "r-secret");
        JetStreamEventStore store = JetStreamEventStore.builder(reader).namespace("tenant-a").build();
        List<Event> received = new CopyOnWriteArrayList<>();
        JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(reader).build();
        try (var subscription = subscriptions.subscribe("tenant-a", SubscriptionFilter.all(),
                (namespace, event) -> received.add(event), SubscriptionOptions.builder().durableName("r-audit")
                        .startPosition(StartPosition.beginning()).build())) {
            assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(e -> e.actorId().equals(actor)));

            assertThatThrownBy(() -> store.saveEvent(event(actor, 2)))
                    .isInstanceOfSatisfying(PermissionDeniedException.class, e -> assertThat(e.violation())
                            .contains("AETHER.tenant-a." + SubjectCodec.actorToken(actor)));
            assertThatThrownBy(() -> store.saveSnapshot(new ActorSnapshot(actor, 1, Map.of())))
                    .isInstanceOfSatisfying(PermissionDeniedException.class, e -> assertThat(e.violation())
                            .contains("$KV.AETHER_snapshots_tenant-a."));
            assertThat(store.getLatestVersion(actor)).isEqualTo(1);
        } finally {
            subscriptions.close();
        }
    }

    private static Event event(String actorId, long version) {
        return Event.builder().eventType("Probe").actorId(actorId).version(version).data(Map.of("v", version)).build();
    }

    /** Connects as a user, with the inbox prefix its subscribe permission allows. */
    private static synchronized Connection connect(String user, String password) {
        Options options = Options.builder().server(NATS.url()).userInfo(user, password)
                .inboxPrefix("_INBOX_" + user).errorListener(new ErrorListener() { }).build();
        try {
            Connection connection = Nats.connect(options);
            CONNECTIONS.add(connection);
            return connection;
        } catch (Exception e) {
            throw new IllegalStateException("Could not connect as " + user + " to " + NATS.url(), e);
        }
    }
}
