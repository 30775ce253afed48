package dev.aether.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings and shared objects every {@link ConsumerReader} of one {@link JetStreamEventSubscriptions}
 * reads with, validated there by its builder.
 *
 * @param connection  the NATS connection, owned by the caller
 * @param management  the connection's JetStream management context
 * @param codec       decodes stored messages and encodes parked events of a batch
 * @param prefix      the stream prefix
 * @param fetchExpiry how long one pull request waits for events
 * @param fetchBatch  how many events one pull request asks for
 * @param ackWait     the ack wait of consumers created
 * @param parkingLot  where events that exhausted their deliveries go
 */
record ReaderSettings(Connection connection, JetStreamManagement management, EventCodec codec, String prefix,
                      Duration fetchExpiry, int fetchBatch, Duration ackWait, ParkingLot parkingLot) {

    ReaderSettings {
        Objects.requireNonNull(connection, "connection must not be null");
        Objects.requireNonNull(management, "management must not be null");
        Objects.requireNonNull(codec, "codec must not be null");
        Objects.requireNonNull(prefix, "prefix must not be null");
        Objects.requireNonNull(fetchExpiry, "fetchExpiry must not be null");
        Objects.requireNonNull(ackWait, "ackWait must not be null");
        Objects.requireNonNull(parkingLot, "parkingLot must not be null");
        if (fetchBatch < 1) {
            throw new IllegalArgumentException("fetchBatch must be at least 1, was " + fetchBatch);
        }
    }
}
