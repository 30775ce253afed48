package dev.aether;

import java.util.List;

/**
 * A subscription split into partitions ({@link SubscriptionOptions#partitions()} above 1): which of them
 * this process handles now. Subscriptions of Aether's stores implement it; check with {@code instanceof}.
 */
public interface PartitionAware {

    /** @return the subscription's partition count; 1 when it is not partitioned */
    int partitionCount();

    /**
     * @return the partitions this subscription handles now, ascending; every partition (here {@code [0]}
     *         when not partitioned) for a sole member, none once it is closed
     */
    List<Integer> ownedPartitions();
}
