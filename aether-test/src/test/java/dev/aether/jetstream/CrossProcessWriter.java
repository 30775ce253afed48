package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.VersionConflictException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The writer of {@link JetStreamCrossProcessTest}, run in a JVM of its own: it builds a store, prints
 * {@code READY}, waits for a line on standard input, then loops "read latest, save latest + 1" until
 * the actor reaches the target version, printing {@code WON <version> <event id>} for each save that
 * succeeded.
 */
public final class CrossProcessWriter {

    private CrossProcessWriter() {
    }

    /**
     * @param args NATS URL, namespace, actor id, target version, writer name
     * @throws Exception when anything other than a version conflict goes wrong (the exit code is then non-zero)
     */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String namespace = args[1];
        String actor = args[2];
        long target = Long.parseLong(args[3]);
        String writer = args[4];
        try (Connection connection = Nats.connect(url)) {
            JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace).build();
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            long latest;
            while ((latest = store.getLatestVersion(actor)) < target) {
                Event event = Event.builder().eventType("Raced").actorId(actor).version(latest + 1)
                        .data(Map.of("writer", writer)).build();
                try {
                    store.saveEvent(event);
                    System.out.println("WON " + event.version() + " " + event.id());
                } catch (VersionConflictException e) {
                    if (e.currentVersion() < e.attemptedVersion()) {
                        throw new IllegalStateException("conflict below the attempted version: " + e.getMessage());
                    }
                }
            }
        }
        System.out.flush();
    }
}
