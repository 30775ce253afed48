package dev.aether.test.faults;

import io.nats.client.Connection;
import io.nats.client.api.ClusterInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Faults injected one after another into a cluster: each is applied, held for {@code hold}, healed, and followed
 * by {@code calm} without faults.
 *
 * @param faults the faults in order
 * @param hold   how long a kill or a pause lasts before the node comes back
 * @param calm   the quiet time after each fault is healed
 */
public record FaultSchedule(List<Fault> faults, Duration hold, Duration calm) {

    /** Validates and copies. */
    public FaultSchedule {
        faults = List.copyOf(faults);
        Objects.requireNonNull(hold, "hold must not be null");
        Objects.requireNonNull(calm, "calm must not be null");
    }

    /**
     * @param rounds how many times every fault is injected
     * @return every {@link Fault} in declaration order, {@code rounds} times, held 4 s, with 4 s of calm after each
     */
    public static FaultSchedule everyFault(int rounds) {
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            faults.addAll(List.of(Fault.values()));
        }
        return new FaultSchedule(faults, Duration.ofSeconds(4), Duration.ofSeconds(4));
    }

    /** @return the time the schedule takes when healing is instant: its lower bound */
    public Duration plannedDuration() {
        return hold.plus(calm).multipliedBy(faults.size());
    }

    /**
     * Injects every fault in order.
     *
     * @param cluster    where
     * @param connection a connection to the cluster, to find the stream's leader
     * @param stream     the stream whose leader {@link Fault#KILL_STREAM_LEADER} kills
     * @param log        receives one line per step, with the time
     * @return the steps as injected, with their times
     * @throws InterruptedException if interrupted while holding a fault
     */
    public List<FaultStep> inject(ClusterFaults cluster, Connection connection, String stream, Consumer<String> log)
            throws InterruptedException {
        List<FaultStep> steps = new ArrayList<>();
        for (Fault fault : faults) {
            long start = System.currentTimeMillis();
            int node = fault == Fault.KILL_STREAM_LEADER ? leader(cluster, connection, stream)
                    : ThreadLocalRandom.current().nextInt(cluster.size());
            log.accept(Instant.now() + " " + fault + (fault == Fault.RESTART_ALL_NODES ? "" : " node " + node));
            switch (fault) {
                case KILL_STREAM_LEADER, KILL_RANDOM_NODE -> {
                    cluster.kill(node);
                    Thread.sleep(hold.toMillis());
                    cluster.start(node);
                }
                case RESTART_NODE -> {
                    cluster.stop(node);
                    cluster.start(node);
                }
                case RESTART_ALL_NODES -> cluster.restartAll();
                case PAUSE_NODE -> {
                    cluster.pause(node);
                    try {
                        Thread.sleep(hold.toMillis());
                    } finally {
                        cluster.resume(node);
                    }
                }
            }
            steps.add(new FaultStep(fault, fault == Fault.RESTART_ALL_NODES ? -1 : node, start, System.currentTimeMillis()));
            log.accept(Instant.now() + " healed");
            Thread.sleep(calm.toMillis());
        }
        return steps;
    }

    /** The stream leader's node, or a random node when no leader is known within a few seconds. */
    private static int leader(ClusterFaults cluster, Connection connection, String stream) throws InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                ClusterInfo info = connection.jetStreamManagement().getStreamInfo(stream).getClusterInfo();
                if (info != null && info.getLeader() != null) {
                    return cluster.indexOf(info.getLeader());
                }
            } catch (Exception e) {
                // No leader elected yet, or the cluster is still recovering from the previous fault.
            }
            Thread.sleep(500);
        }
        return ThreadLocalRandom.current().nextInt(cluster.size());
    }
}
