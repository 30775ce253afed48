package dev.aether.jetstream;

import dev.aether.EventSubscriptions;
import dev.aether.SnapshotStore;
import dev.aether.test.TypedEventsContract;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Typed events, upcasting and snapshots by policy on the JetStream store and subscriptions. */
class JetStreamTypedEventsTest extends TypedEventsContract {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static Connection connection;
    private final Map<String, JetStreamEventStore> stores = new ConcurrentHashMap<>();
    private JetStreamEventSubscriptions jetStream;

    @BeforeAll
    static void connect() {
        connection = NATS.connect();
    }

    @Override
    protected EventSubscriptions createSubscriptions() {
        jetStream = JetStreamEventSubscriptions.builder(connection).discoveryInterval(Duration.ofSeconds(1)).build();
        return jetStream;
    }

    @Override
    protected SnapshotStore store(String namespace) {
        return stores.computeIfAbsent(namespace, ns -> JetStreamEventStore.builder(connection).namespace(ns).build());
    }

    @Override
    protected void closeSubscriptions() {
        jetStream.close();
    }
}
