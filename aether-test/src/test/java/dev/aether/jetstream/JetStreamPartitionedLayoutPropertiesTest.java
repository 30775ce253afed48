package dev.aether.jetstream;

import dev.aether.SnapshotStore;
import dev.aether.test.SnapshotStoreProperties;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link JetStreamEventStore} keeps the arbitrary- and hostile-input properties on streams of the
 * {@link SubjectLayout#PARTITIONED partitioned} subject layout: hostile actor ids address no other actor's
 * subject there either. One server for the whole class, with a message size limit of
 * {@link #PAYLOAD_PROBE_BYTES}.
 */
class JetStreamPartitionedLayoutPropertiesTest extends SnapshotStoreProperties {

    private static final NatsServerExtension NATS = new NatsServerExtension().withMaxPayload(PAYLOAD_PROBE_BYTES);
    private static Connection connection;

    @BeforeContainer
    static void startServer() {
        NATS.start();
        connection = NATS.connect();
    }

    @AfterContainer
    static void stopServer() {
        NATS.close();
    }

    @Override
    protected SnapshotStore createStore(String namespace) {
        return JetStreamEventStore.builder(connection).namespace(namespace).subjectLayout(SubjectLayout.PARTITIONED)
                .build();
    }
}
