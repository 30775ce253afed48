package dev.aether.jetstream;

import dev.aether.Event;
import io.nats.client.Connection;
import io.nats.client.Nats;

import java.time.Duration;
import java.util.Map;

/**
 * The publisher of {@link NatsEventBusTest}'s two-JVM test, run in a JVM of its own: publishes events
 * of versions 1 to n of one actor on the bus, flushes, and exits.
 */
public final class CrossProcessBusPublisher {

    private CrossProcessBusPublisher() {
    }

    /**
     * @param args NATS URL, namespace, actor id, number of events
     * @throws Exception when publishing fails (the exit code is then non-zero)
     */
    public static void main(String[] args) throws Exception {
        try (Connection connection = Nats.connect(args[0]); NatsEventBus bus = new NatsEventBus(connection)) {
            int count = Integer.parseInt(args[3]);
            for (int v = 1; v <= count; v++) {
                bus.publish(args[1], Event.builder().eventType("Published").actorId(args[2]).version(v)
                        .data(Map.of()).build());
            }
            connection.flush(Duration.ofSeconds(5));
        }
    }
}
