package dev.aether.jetstream;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which live member of a partitioned group should own which partition: the members sorted by id, and
 * partition {@code i} to member {@code i mod memberCount}. Every member computes the same answer from
 * the same member list, so no one decides for the others; counts per member differ by at most one.
 */
final class PartitionAssignment {

    private PartitionAssignment() {
    }

    /**
     * @param member     a member id
     * @param members    the live members (the member itself included or not)
     * @param partitions the partition count
     * @return the partitions {@code member} should own; empty if it is not among {@code members}
     */
    static Set<Integer> partitionsOf(String member, Collection<String> members, int partitions) {
        List<String> sorted = List.copyOf(new TreeSet<>(members));
        int index = sorted.indexOf(member);
        Set<Integer> owned = new TreeSet<>();
        if (index < 0) {
            return owned;
        }
        for (int p = index; p < partitions; p += sorted.size()) {
            owned.add(p);
        }
        return owned;
    }
}
