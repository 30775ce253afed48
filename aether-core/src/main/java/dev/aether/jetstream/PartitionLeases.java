package dev.aether.jetstream;

import dev.aether.StoreUnavailableException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The KV bucket {@code <prefix>_leases} where partitioned groups keep their members and the owner of
 * each partition. The bucket's max age is the lease time to live: a key not written again within it
 * expires, which is how a dead member's membership and leases end (per-key TTLs need nats-server
 * 2.10). Keys: {@code <durable>.members.<member>} and {@code <durable>.partitions.<partition>}, whose
 * value is the owning member's id; a lease is taken with a create (only if absent), renewed and
 * released with compare-and-set on its revision. Beside it, the bucket {@code <prefix>_handed} (no max
 * age) keeps, under {@code <durable>.<partition>}, what the partition's owners dealt with.
 */
final class PartitionLeases {

    /** The server's "wrong last sequence": a compare-and-set lost. */
    private static final int WRONG_LAST_SEQUENCE = NatsJetStreamConstants.JS_WRONG_LAST_SEQUENCE;

    private final KeyValue bucket;
    private final String bucketName;
    private final Duration ttl;
    /** {@code <prefix>_handed}: marks must outlive the lease of a member that died, so no max age. */
    private final KeyValue marks;

    private PartitionLeases(KeyValue bucket, String bucketName, Duration ttl, KeyValue marks) {
        this.bucket = bucket;
        this.bucketName = bucketName;
        this.ttl = ttl;
        this.marks = marks;
    }

    /**
     * Opens the bucket, creating it if missing with the given time to live; an existing bucket's own
     * time to live wins, so every member of a group uses the same.
     *
     * @throws StoreUnavailableException if the bucket could not be created or read
     */
    static PartitionLeases open(Connection connection, String prefix, Duration ttl, int replicas) {
        String name = SubjectCodec.leaseBucket(prefix);
        String marksName = SubjectCodec.handedBucket(prefix);
        try {
            KeyValueManagement kvm = connection.keyValueManagement();
            JetStreamManagement jsm = connection.jetStreamManagement();
            Duration bucketTtl = StreamProvisioner.ensureBucket(kvm, jsm,
                    bucket(name, "members and partition leases", replicas).ttl(ttl).build(), "lease bucket").getTtl();
            if (bucketTtl == null || bucketTtl.isZero()) {
                throw new StoreUnavailableException("The lease bucket '" + name + "' exists without a max age; "
                        + "leases could never expire. Remove it; Aether creates it again", null);
            }
            StreamProvisioner.ensureBucket(kvm, jsm, bucket(marksName, "what partition owners dealt with", replicas).build(),
                    "hand-over bucket");
            return new PartitionLeases(connection.keyValue(name), name, bucketTtl, connection.keyValue(marksName));
        } catch (IOException | IllegalStateException e) {
            throw new StoreUnavailableException("Could not create or read the lease buckets '" + name + "' and '"
                    + marksName + "'", e);
        }
    }

    private static KeyValueConfiguration.Builder bucket(String name, String holds, int replicas) {
        return KeyValueConfiguration.builder()
                .name(name)
                .description("Aether partitioned subscriptions: " + holds + "; see docs/design.md")
                .maxHistoryPerKey(1)
                .storageType(StorageType.File)
                .replicas(replicas);
    }

    /** @return the bucket's name */
    String bucketName() {
        return bucketName;
    }

    /** @return how long a lease or membership lasts after its last write */
    Duration ttl() {
        return ttl;
    }

    /** Writes (or writes again) a member's key. */
    void renewMember(String group, String member) throws IOException, JetStreamApiException {
        bucket.put(memberKey(group, member), member.getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes a member's key, so the others rebalance at once. */
    void leave(String group, String member) throws IOException, JetStreamApiException {
        bucket.delete(memberKey(group, member));
    }

    /** @return the ids of the group's live members */
    List<String> members(String group) throws IOException, JetStreamApiException, InterruptedException {
        String prefix = group + ".members.";
        List<String> members = new ArrayList<>();
        for (String key : bucket.keys(prefix + "*")) {
            members.add(key.substring(prefix.length()));
        }
        return members;
    }

    /**
     * Takes the lease of a partition if no one holds it; a lease still held under this member's id (its
     * own, from before a lapse) is taken back.
     *
     * @return the lease's revision, or empty if another member holds it
     */
    OptionalLong acquire(String group, int partition, String member) throws IOException, JetStreamApiException {
        String key = partitionKey(group, partition);
        byte[] value = member.getBytes(StandardCharsets.UTF_8);
        try {
            return OptionalLong.of(bucket.create(key, value));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                throw e;
            }
        }
        KeyValueEntry held = bucket.get(key);
        if (held == null || held.getOperation() != KeyValueOperation.PUT || !member.equals(held.getValueAsString())) {
            return OptionalLong.empty();
        }
        return renew(group, partition, member, held.getRevision());
    }

    /** @return the lease's new revision, or empty if it is no longer this revision (it expired or moved) */
    OptionalLong renew(String group, int partition, String member, long revision)
            throws IOException, JetStreamApiException {
        try {
            return OptionalLong.of(bucket.update(partitionKey(group, partition),
                    member.getBytes(StandardCharsets.UTF_8), revision));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                throw e;
            }
            return OptionalLong.empty();
        }
    }

    /** Deletes a lease if it still has this revision. */
    void release(String group, int partition, long revision) throws IOException, JetStreamApiException {
        try {
            bucket.delete(partitionKey(group, partition), revision);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                throw e;
            }
        }
    }

    /** At most this many characters are handed over (a KV value must fit in one message). */
    static final int MAX_HANDED_OVER_CHARS = 512 * 1024;

    /**
     * Records, in {@code <prefix>_handed} under {@code <durable>.<partition>}, for the partition's next
     * owner, the last message of each actor its owner dealt with above the ack floor, as lines {@code <stream> <subject> <sequence>}; deletes the record when there
     * are none. Beyond {@link #MAX_HANDED_OVER_CHARS} the rest is left out (logged): those actors' events
     * above the ack floor may be handled again.
     */
    void handOver(String group, int partition, Map<String, Map<String, Long>> handled)
            throws IOException, JetStreamApiException {
        StringBuilder lines = new StringBuilder();
        int[] left = {0};
        handled.forEach((stream, bySubject) -> bySubject.forEach((subject, s) -> {
            if (lines.length() < MAX_HANDED_OVER_CHARS) {
                lines.append(stream).append(' ').append(subject).append(' ').append(s).append('\n');
            } else {
                left[0]++;
            }
        }));
        if (left[0] > 0) {
            System.getLogger(PartitionLeases.class.getName()).log(System.Logger.Level.WARNING, "Partition " + partition
                    + " of '" + group + "': " + left[0] + " actors left out of the hand-over; the next owner may "
                    + "handle their recent events again");
        }
        if (lines.length() == 0) {
            marks.delete(handledKey(group, partition));
        } else {
            marks.put(handledKey(group, partition), lines.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** @return what the partition's last owner handed over with {@link #handOver}; empty if nothing */
    Map<String, Map<String, Long>> handledUnacknowledged(String group, int partition)
            throws IOException, JetStreamApiException {
        KeyValueEntry entry = marks.get(handledKey(group, partition));
        Map<String, Map<String, Long>> handled = new HashMap<>();
        if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
            return handled;
        }
        for (String line : entry.getValueAsString().split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 3) {
                handled.computeIfAbsent(parts[0], s -> new HashMap<>()).merge(parts[1], Long.parseLong(parts[2]), Math::max);
            }
        }
        return handled;
    }

    /** @return the owner of a partition, if a live lease names one */
    java.util.Optional<String> owner(String group, int partition) throws IOException, JetStreamApiException {
        KeyValueEntry held = bucket.get(partitionKey(group, partition));
        if (held == null || held.getOperation() != KeyValueOperation.PUT) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(held.getValueAsString());
    }

    static String memberKey(String group, String member) {
        return group + ".members." + member;
    }

    static String partitionKey(String group, int partition) {
        return group + ".partitions." + partition;
    }

    static String handledKey(String group, int partition) {
        return group + "." + partition;
    }
}
