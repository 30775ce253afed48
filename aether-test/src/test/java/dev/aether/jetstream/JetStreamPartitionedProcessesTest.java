package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aether.Event;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three subscriber processes (JVMs of their own) share a partitioned durable subscription while this
 * JVM saves events to 200 actors; one subscriber is killed with SIGKILL, another is stopped cleanly
 * and started again. Every saved event is handled, per actor no version is handled before the one
 * before it nor after a later one, and the partitions are spread over the live members again within
 * the documented time: a lease's ttl (5 s) plus a poll (1 s) and the server's expiry, under 10 s,
 * after a kill; within a couple of polls after a clean stop.
 */
class JetStreamPartitionedProcessesTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final int PARTITIONS = 6;
    private static final int ACTORS = 200;
    private static final int VERSIONS = 30;
    private static final String NAMESPACE = "partitioned-processes";
    private static final String DURABLE = "ledger";
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);
    private static final Duration AFTER_STOP = Duration.ofSeconds(4);
    /** How long each handler call takes: two members handle a 200-event round in about 0.2 s of its 0.6 s. */
    private static final long HANDLING_MILLIS = 2;

    @TempDir
    Path files;

    @Test
    void threeProcessesKeepEveryActorsOrderThroughAKillAndARestart() throws Exception {
        Connection connection = NATS.connect();
        JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(NAMESPACE).build();
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            Process killed = startMember("killed", processes, outputs);
            Process stopped = startMember("stopped", processes, outputs);
            startMember("stays", processes, outputs);
            PartitionOwnership ownership = new PartitionOwnership(PartitionLeases.open(connection,
                    SubjectCodec.DEFAULT_PREFIX, JetStreamEventSubscriptions.DEFAULT_PARTITION_LEASE_TTL, 1),
                    DURABLE, PARTITIONS);
            await().atMost(Duration.ofSeconds(15)).until(() -> ownership.balancedOver(3));

            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(store));
            Thread.sleep(3_000);

            killed.destroyForcibly(); // SIGKILL on Linux
            Duration afterKill = timeUntil(() -> ownership.balancedOver(2), Duration.ofSeconds(20));
            assertThat(afterKill).as("partitions move off a killed member").isLessThan(AFTER_KILL);

            OutputStream stop = stopped.getOutputStream();
            stop.write("STOP\n".getBytes(StandardCharsets.UTF_8));
            stop.flush();
            assertThat(stopped.waitFor(30, TimeUnit.SECONDS)).as("a stopped member exits").isTrue();
            assertThat(stopped.exitValue()).isZero();
            Duration afterStop = timeUntil(() -> ownership.balancedOver(1), Duration.ofSeconds(10));
            assertThat(afterStop).as("a member that stops hands over at once").isLessThan(AFTER_STOP);

            startMember("restarted", processes, outputs);
            await().atMost(Duration.ofSeconds(15)).until(() -> ownership.balancedOver(2));

            writer.get(2, TimeUnit.MINUTES);
            Set<String> saved = new HashSet<>();
            for (int a = 0; a < ACTORS; a++) {
                for (int v = 1; v <= VERSIONS; v++) {
                    saved.add("actor-" + a + "@" + v);
                }
            }
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Set<String> missing = new TreeSet<>(saved);
                missing.removeAll(HandledHistory.read(outputs).handledEvents());
                assertThat(missing).as("saved events not handled").isEmpty();
            });

            HandledHistory history = HandledHistory.read(outputs);
            List<String> violations = history.orderViolations();
            assertThat(violations).as(() -> "per-actor order across the group; calls of the first actor:\n"
                    + history.callsOf(violations.get(0).split(" ")[0])).isEmpty();
            assertThat(history.handledEvents()).isEqualTo(saved);
            for (Path output : outputs) {
                assertThat(HandledHistory.read(List.of(output)).size()).as("%s handled events", output.getFileName())
                        .isPositive();
            }
            System.out.printf("partitioned processes: %d events, %d handler calls, %d duplicates; rebalanced %d ms "
                    + "after the kill, %d ms after the stop%n", saved.size(), history.size(), history.duplicates(),
                    afterKill.toMillis(), afterStop.toMillis());
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    private Process startMember(String name, List<Process> processes, List<Path> outputs) throws Exception {
        Path output = files.resolve(name + ".txt");
        Process process = SecondJvm.start(PartitionedSubscriberProcess.class, NATS.url(), NAMESPACE, DURABLE,
                Integer.toString(PARTITIONS), output.toString(), Long.toString(HANDLING_MILLIS));
        processes.add(process);
        outputs.add(output);
        BufferedReader lines = SecondJvm.output(process);
        assertThat(lines.readLine()).as(name + " subscribes").isEqualTo("READY");
        return process;
    }

    /** Saves versions 1..VERSIONS of every actor, a round of all actors about every 0.6 s. */
    private static void write(JetStreamEventStore store) {
        for (int v = 1; v <= VERSIONS; v++) {
            long roundStarted = System.nanoTime();
            for (int a = 0; a < ACTORS; a++) {
                store.saveEvent(Event.builder().eventType("Posted").actorId("actor-" + a).version(v)
                        .data(Map.of("v", v)).build());
            }
            long left = 600 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStarted);
            if (left > 0) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Duration timeUntil(java.util.concurrent.Callable<Boolean> condition, Duration atMost) {
        long started = System.nanoTime();
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(condition);
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
