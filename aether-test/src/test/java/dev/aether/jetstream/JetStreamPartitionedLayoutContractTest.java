package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aether.EventStore;
import dev.aether.SnapshotStore;
import dev.aether.test.SnapshotStoreContract;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link JetStreamEventStore} keeps the event and snapshot store contracts on a stream of the
 * {@link SubjectLayout#PARTITIONED partitioned} subject layout, where every actor subject carries the actor's
 * hash bits; the second store is built with the default layout and uses the stream's.
 */
class JetStreamPartitionedLayoutContractTest extends SnapshotStoreContract {

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
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace("contract")
                .subjectLayout(SubjectLayout.PARTITIONED).build();
        assertThat(store.subjectLayout()).isEqualTo(SubjectLayout.PARTITIONED);
        return store;
    }

    @Override
    protected EventStore createSecondStore() {
        JetStreamEventStore store = JetStreamEventStore.builder(otherConnection).namespace("contract").build();
        assertThat(store.subjectLayout()).as("the stream's layout wins").isEqualTo(SubjectLayout.PARTITIONED);
        return store;
    }
}
