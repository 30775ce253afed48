package dev.aether.jetstream;

import dev.aether.EventStore;
import dev.aether.SnapshotStore;
import dev.aether.test.SnapshotStoreContract;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JetStreamEventStore} keeps the event and snapshot store contracts on a real nats-server. */
class JetStreamEventStoreContractTest extends SnapshotStoreContract {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static Connection connection;
    /** The second store's own connection, as another process would have. */
    private static Connection otherConnection;

    @BeforeAll
    static void connect() {
        connection = NATS.connect();
        otherConnection = NATS.connect();
    }

    @Override
    protected SnapshotStore createStore() {
        return JetStreamEventStore.builder(connection).namespace("contract").build();
    }

    @Override
    protected EventStore createSecondStore() {
        return JetStreamEventStore.builder(otherConnection).namespace("contract").build();
    }
}
