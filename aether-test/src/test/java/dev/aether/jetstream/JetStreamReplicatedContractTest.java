package dev.aether.jetstream;

import dev.aether.EventStore;
import dev.aether.SnapshotStore;
import dev.aether.test.SnapshotStoreContract;
import dev.aether.test.nats.NatsClusterExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link JetStreamEventStore} with {@code replicas(3)} keeps the event and snapshot store contracts
 * on a three-node cluster, including the concurrent-writers rule on a replicated stream.
 */
class JetStreamReplicatedContractTest extends SnapshotStoreContract {

    @RegisterExtension
    static final NatsClusterExtension CLUSTER = new NatsClusterExtension();

    private static Connection connection;

    @BeforeAll
    static void connect() {
        connection = CLUSTER.connect();
    }

    @Override
    protected SnapshotStore createStore() {
        return JetStreamEventStore.builder(connection).namespace("replicated").replicas(3).build();
    }

    @Override
    protected EventStore createSecondStore() {
        return createStore();
    }
}
