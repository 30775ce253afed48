package dev.aether.jetstream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the lease bucket says about a partitioned group, read as any NATS client could read it. */
final class PartitionOwnership {

    private final PartitionLeases leases;
    private final String durable;
    private final int partitions;

    PartitionOwnership(PartitionLeases leases, String durable, int partitions) {
        this.leases = leases;
        this.durable = durable;
        this.partitions = partitions;
    }

    /** @return the group's live members */
    List<String> members() throws Exception {
        return leases.members(durable);
    }

    /** @return how many partitions each member holds a lease on; {@code ""} counts unowned partitions */
    Map<String, Integer> leasesPerOwner() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            Optional<String> owner = leases.owner(durable, p);
            counts.merge(owner.orElse(""), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * @param memberCount how many live members there should be
     * @return whether exactly that many members are live and every partition is leased to one of them,
     *         spread evenly (counts differ by at most one)
     */
    boolean balancedOver(int memberCount) throws Exception {
        List<String> members = members();
        if (members.size() != memberCount) {
            return false;
        }
        Map<String, Integer> counts = leasesPerOwner();
        if (!members.containsAll(counts.keySet())) {
            return false; // unowned partitions, or leases of a member that is gone
        }
        int least = partitions / memberCount;
        return members.stream().allMatch(m -> {
            int n = counts.getOrDefault(m, 0);
            return n == least || n == least + (partitions % memberCount == 0 ? 0 : 1);
        });
    }
}
