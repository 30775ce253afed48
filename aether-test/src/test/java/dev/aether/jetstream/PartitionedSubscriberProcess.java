package dev.aether.jetstream;

import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A member of the partitioned group of {@link JetStreamPartitionedProcessesTest}, run in a JVM of its
 * own: it subscribes, takes a few milliseconds per handler call (so a kill finds events in flight), prints {@code READY}, and appends {@code <actor> <version> <wall-clock micros>}
 * to its file for every handler call, written to the operating system before the handler returns (so
 * before the acknowledgement, and kept if the process is killed). A line {@code STOP} on standard
 * input closes the subscription cleanly; it then prints {@code STOPPED} and exits.
 */
public final class PartitionedSubscriberProcess {

    private PartitionedSubscriberProcess() {
    }

    /**
     * @param args NATS URL, namespace, durable name, partition count, output file, milliseconds each call takes
     * @throws Exception if the subscription fails (the exit code is then non-zero)
     */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String namespace = args[1];
        String durable = args[2];
        int partitions = Integer.parseInt(args[3]);
        long handlingMillis = Long.parseLong(args[5]);
        try (Connection connection = Nats.connect(url);
             FileOutputStream out = new FileOutputStream(args[4], true)) {
            JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(connection)
                    .ackWait(Duration.ofSeconds(5))
                    .build();
            Subscription subscription = subscriptions.subscribe(namespace, SubscriptionFilter.all(), (ns, event) -> {
                long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                try {
                    out.write((event.actorId() + " " + event.version() + " " + micros + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(handlingMillis); // the rest of the handler's work, after its record is written
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, SubscriptionOptions.builder().durableName(durable).partitions(partitions)
                    .startPosition(StartPosition.beginning()).build());
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("STOP")) {
                // wait for STOP
            }
            subscription.close();
            subscriptions.close();
            System.out.println("STOPPED");
            System.out.flush();
        }
    }
}
