package dev.aether.jetstream;

import dev.aether.ActorPartitions;
import dev.aether.StoreUnavailableException;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One process's part in a partitioned group: it keeps its membership alive, computes which
 * partitions it should own ({@link PartitionAssignment}), takes free ones, renews its leases, hands
 * over partitions that belong to another member, and stops handling a partition whose lease it could
 * not renew in time. Polls every fifth of the lease time to live.
 *
 * <p>A lease is valid here until {@code (start of its last successful write) + ttl - margin}, measured
 * on the monotonic clock; the server expires it {@code ttl} after that write at the earliest, so this
 * process stops handling the partition (see {@link #admits}) at least {@code margin} before any other
 * member can take it, also after the process was frozen (SIGSTOP, a long GC pause) and resumes.
 */
final class PartitionCoordinator {

    /** What the subscription does when a partition is won or given up. */
    interface Partitions {
        /**
         * Starts reading the partition's consumers.
         *
         * @param handledUnacknowledged per stream, per actor subject, the last message the earlier owners
         *                              dealt with: it and the actor's earlier ones are not handled again
         */
        void start(int partition, Map<String, Map<String, Long>> handledUnacknowledged);

        /**
         * Stops reading the partition's consumers and returns once its events in the subscriber are
         * handled and acknowledged or given back (the coordinator closed its admission first).
         *
         * @return per stream, per actor subject, the last message dealt with here (or by earlier owners)
         *         above the ack floor: for the next owner
         */
        Map<String, Map<String, Long>> stop(int partition);

        /** @return what {@link #stop} would return, now, while the partition runs on */
        Map<String, Map<String, Long>> dealtWith(int partition);
    }

    private static final Logger LOG = System.getLogger(PartitionCoordinator.class.getName());

    private final PartitionLeases leases;
    private final String group;
    private final String member = UUID.randomUUID().toString();
    private final int partitions;
    private final Partitions target;
    private final long validForNanos;
    private final AtomicReferenceArray<Lease> held;
    private final Set<Integer> handingOver = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller;
    private final ExecutorService handover;
    private volatile boolean open = true;

    /** A lease this process holds. */
    private static final class Lease {
        volatile long revision;
        volatile long validUntil;
        /** Set once the lease lapsed or is being given up; never cleared. */
        volatile boolean lost;
        /** What was last written for it by {@link #recordDealtWith}. */
        Map<String, Map<String, Long>> recorded = Map.of();

        Lease(long revision, long validUntil) {
            this.revision = revision;
            this.validUntil = validUntil;
        }
    }

    PartitionCoordinator(PartitionLeases leases, String group, int partitions, Partitions target) {
        this.leases = leases;
        this.group = group;
        this.partitions = partitions;
        this.target = target;
        this.held = new AtomicReferenceArray<>(partitions);
        long ttl = leases.ttl().toNanos();
        this.validForNanos = ttl - margin(leases.ttl()).toNanos();
        this.poller = singleThread("aether-partitions-" + group);
        this.handover = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "aether-handover-" + group));
    }

    /** How long before the server can expire a lease this process stops using it: a fifth of the ttl. */
    static Duration margin(Duration ttl) {
        return ttl.dividedBy(5);
    }

    /** How often members poll: a fifth of the ttl. */
    static Duration pollInterval(Duration ttl) {
        return ttl.dividedBy(5);
    }

    /** @return this process's member id */
    String member() {
        return member;
    }

    /**
     * Joins the group, takes what is free now, then polls in the background.
     *
     * @throws StoreUnavailableException if this member could not write its key (no permission, no server)
     */
    void start() {
        try {
            leases.renewMember(group, member);
        } catch (IOException | JetStreamApiException e) {
            throw new StoreUnavailableException("Could not join the partitioned subscription '" + group
                    + "' in the lease bucket '" + leases.bucketName() + "'", e);
        }
        poll();
        long every = pollInterval(leases.ttl()).toNanos();
        poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * @param actorId an actor
     * @return whether this process holds a valid lease on the actor's partition right now; a lease found
     *         lapsed here is lost for good (the poll stops its partition)
     */
    boolean admits(String actorId) {
        Lease lease = held.get(ActorPartitions.partitionOf(actorId, partitions));
        if (lease == null || lease.lost) {
            return false;
        }
        if (System.nanoTime() - lease.validUntil >= 0) {
            lease.lost = true;
            return false;
        }
        return true;
    }

    /** @return whether this process holds the partition */
    boolean owns(int partition) {
        Lease lease = held.get(partition);
        return lease != null && !lease.lost;
    }

    /** @return the partitions this process holds now */
    List<Integer> owned() {
        List<Integer> owned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (owns(p)) {
                owned.add(p);
            }
        }
        return owned;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Partitioned subscription '" + group + "': lease poll failed; retrying", e);
        }
    }

    private synchronized void poll() {
        if (!open) {
            return;
        }
        try {
            leases.renewMember(group, member);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Partitioned subscription '" + group + "': could not renew membership", e);
        }
        renewHeld();
        recordDealtWith();
        List<String> members;
        try {
            members = leases.members(group);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Partitioned subscription '" + group + "': could not list members", e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Set<Integer> wanted = PartitionAssignment.partitionsOf(member, members, partitions);
        for (int p = 0; p < partitions; p++) {
            if (held.get(p) != null && !wanted.contains(p)) {
                giveUp(p, "it belongs to another member now", true);
            }
        }
        for (int p : wanted) {
            if (open && held.get(p) == null && !handingOver.contains(p)) {
                take(p);
            }
        }
    }

    private void renewHeld() {
        for (int p = 0; p < partitions; p++) {
            Lease lease = held.get(p);
            if (lease == null) {
                continue;
            }
            if (lease.lost || System.nanoTime() - lease.validUntil >= 0) {
                giveUp(p, "its lease could not be renewed in time", false);
                continue;
            }
            long sent = System.nanoTime();
            OptionalLong revision;
            try {
                revision = leases.renew(group, p, member, lease.revision);
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Partitioned subscription '" + group + "': could not renew partition " + p, e);
                continue;
            }
            if (revision.isEmpty()) {
                giveUp(p, "its lease expired or moved", false);
                continue;
            }
            lease.revision = revision.getAsLong();
            lease.validUntil = sent + validForNanos;
        }
    }

    /**
     * Writes, for each partition held, what it dealt with since the last write, so that a member that
     * takes it over after this one died does not handle those events again after later ones.
     */
    private void recordDealtWith() {
        for (int p = 0; p < partitions; p++) {
            Lease lease = held.get(p);
            if (lease == null || lease.lost) {
                continue;
            }
            Map<String, Map<String, Long>> now = target.dealtWith(p);
            if (now.equals(lease.recorded)) {
                continue;
            }
            try {
                leases.handOver(group, p, now);
                lease.recorded = now;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Partitioned subscription '" + group + "': could not record partition " + p, e);
            }
        }
    }

    private void take(int partition) {
        long sent = System.nanoTime();
        OptionalLong revision;
        try {
            revision = leases.acquire(group, partition, member);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Partitioned subscription '" + group + "': could not take partition " + partition, e);
            return;
        }
        if (revision.isEmpty()) {
            return; // its owner has not let it go yet, or its lease has not expired
        }
        Map<String, Map<String, Long>> handled;
        try {
            handled = leases.handledUnacknowledged(group, partition);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Partitioned subscription '" + group + "': could not read what the earlier owner "
                    + "of partition " + partition + " handled; taking it later", e);
            release(partition, revision.getAsLong());
            return;
        }
        held.set(partition, new Lease(revision.getAsLong(), sent + validForNanos));
        LOG.log(Level.INFO, "Partitioned subscription '" + group + "': member " + member + " took partition "
                + partition + " of " + partitions);
        try {
            target.start(partition, handled);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Partitioned subscription '" + group + "': could not start partition "
                    + partition + "; giving it up", e);
            giveUp(partition, "it could not be started", false);
        }
    }

    /**
     * Closes the partition's admission at once, then, on the handover thread, stops it and deletes the
     * lease (if still this revision), so the poll goes on renewing the other leases meanwhile.
     */
    private void giveUp(int partition, String why, boolean stillHeld) {
        Lease lease = held.get(partition);
        if (lease == null) {
            return;
        }
        lease.lost = true;
        handingOver.add(partition);
        held.set(partition, null);
        LOG.log(Level.INFO, "Partitioned subscription '" + group + "': member " + member + " gives up partition "
                + partition + ": " + why);
        handover.execute(() -> {
            try {
                Map<String, Map<String, Long>> dealtWith = target.stop(partition);
                if (stillHeld) {
                    // a lapsed lease may be another member's by now, and so are the marks
                    handOver(partition, dealtWith);
                }
                release(partition, lease.revision);
            } finally {
                handingOver.remove(partition);
            }
        });
    }

    /** Writes what the next owner must acknowledge without handling, before the lease goes. */
    private void handOver(int partition, Map<String, Map<String, Long>> handled) {
        try {
            leases.handOver(group, partition, handled);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.WARNING, "Partitioned subscription '" + group + "': could not hand over the "
                    + "last events dealt with in partition " + partition + "; the next owner may handle again events "
                    + "above the ack floor, after later ones", e);
        }
    }

    private void release(int partition, long revision) {
        try {
            leases.release(group, partition, revision);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Partitioned subscription '" + group + "': could not delete the lease of partition "
                    + partition + "; it expires", e);
        }
    }

    /** Stops polling; admission closes for every partition. Call before stopping the readers. */
    void stopPolling() {
        synchronized (this) {
            open = false;
            for (int p = 0; p < partitions; p++) {
                Lease lease = held.get(p);
                if (lease != null) {
                    lease.lost = true;
                }
            }
        }
        poller.shutdownNow();
    }

    /**
     * Leaves the group once this process's readers stopped and its events were acknowledged or given
     * back: deletes its leases and its member key, so the others take over at their next poll.
     */
    void leave(Map<Integer, Map<String, Map<String, Long>>> handled) {
        handover.shutdown();
        try {
            handover.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int p = 0; p < partitions; p++) {
            Lease lease = held.getAndSet(p, null);
            if (lease != null) {
                handOver(p, handled.getOrDefault(p, Map.of()));
                release(p, lease.revision);
            }
        }
        try {
            leases.leave(group, member);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Partitioned subscription '" + group + "': could not delete its member key; it expires", e);
        }
    }

    private static ScheduledExecutorService singleThread(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> daemon(runnable, name));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
