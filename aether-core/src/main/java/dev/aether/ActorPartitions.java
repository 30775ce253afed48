package dev.aether;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The stable function that puts an actor in a partition of a partitioned subscription
 * ({@link SubscriptionOptions#partitions()}): FNV-1a, 32 bits, over the UTF-8 bytes of the actor id, read
 * as an unsigned number, modulo the partition count. It is part of the wire format
 * (docs/wire-format.md), so a client in another language places every actor in the same partition.
 */
public final class ActorPartitions {

    private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private ActorPartitions() {
    }

    /**
     * @param actorId    the actor id
     * @param partitions the partition count, 1 to {@value SubscriptionOptions#MAX_PARTITIONS}
     * @return the actor's partition, {@code 0 <= p < partitions}
     * @throws IllegalArgumentException if the count is out of range
     */
    public static int partitionOf(String actorId, int partitions) {
        Objects.requireNonNull(actorId, "actorId must not be null");
        if (partitions < 1 || partitions > SubscriptionOptions.MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be 1 to " + SubscriptionOptions.MAX_PARTITIONS
                    + ", was " + partitions);
        }
        return (int) (Integer.toUnsignedLong(fnv1a32(actorId.getBytes(StandardCharsets.UTF_8))) % partitions);
    }

    /**
     * @param bytes the bytes to hash
     * @return their 32-bit FNV-1a hash (as a Java int; read it unsigned)
     */
    public static int fnv1a32(byte[] bytes) {
        int hash = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
