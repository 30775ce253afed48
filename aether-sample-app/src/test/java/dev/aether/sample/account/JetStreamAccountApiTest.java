package dev.aether.sample.account;

import dev.aether.Event;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The REST API on JetStream with the {@code nats} profile, against a private nats-server started for
 * this class instead of the profile's {@code nats://127.0.0.1:4222}.
 */
@ActiveProfiles("nats")
@DirtiesContext
class JetStreamAccountApiTest extends AccountApiContract {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static Connection paymentsConnection;

    @DynamicPropertySource
    static void nats(DynamicPropertyRegistry registry) {
        registry.add("aether.nats.servers", NATS::url);
        registry.add("aether.nats.drain-timeout", () -> "1s");
    }

    @AfterAll
    static void closePaymentsConnection() throws InterruptedException {
        if (paymentsConnection != null) {
            paymentsConnection.close();
        }
    }

    @Override
    protected void saveInPaymentsNamespace(Event event) {
        // Another service: its own connection and a store on its own namespace (and so its own stream).
        if (paymentsConnection == null) {
            paymentsConnection = NATS.connect();
        }
        JetStreamEventStore.builder(paymentsConnection).namespace("payments.cards").build().saveEvent(event);
    }
}
