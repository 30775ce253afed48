package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aether.ActorPartitions;
import dev.aether.SubscriptionOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The two functions every member of a partitioned group computes alike: the actor's partition
 * (FNV-1a 32-bit, the vectors of docs/wire-format.md) and the spread of partitions over live members.
 */
class PartitionFunctionsTest {

    @Test
    void fnv1aMatchesThePublishedVectors() {
        assertThat(Integer.toUnsignedString(ActorPartitions.fnv1a32(bytes("")), 16)).isEqualTo("811c9dc5");
        assertThat(Integer.toUnsignedString(ActorPartitions.fnv1a32(bytes("a")), 16)).isEqualTo("e40c292c");
        assertThat(Integer.toUnsignedString(ActorPartitions.fnv1a32(bytes("foobar")), 16)).isEqualTo("bf9cf968");
    }

    @Test
    void anActorsPartitionIsTheUnsignedHashModuloTheCount() {
        // the vectors of docs/wire-format.md
        assertThat(ActorPartitions.partitionOf("foobar", 16)).isEqualTo(8); // 0xbf9cf968 % 16
        assertThat(ActorPartitions.partitionOf("a", 7)).isEqualTo((int) (0xe40c292cL % 7));
        assertThat(ActorPartitions.partitionOf("order-42", 1)).isZero();
        assertThat(ActorPartitions.partitionOf("ü-Käse", 1024))
                .isEqualTo((int) (Integer.toUnsignedLong(ActorPartitions.fnv1a32(bytes("ü-Käse"))) % 1024));
    }

    @Test
    void actorsSpreadOverEveryPartition() {
        Map<Integer, Integer> perPartition = new TreeMap<>();
        IntStream.range(0, 10_000).forEach(a -> perPartition.merge(ActorPartitions.partitionOf("actor-" + a, 8), 1, Integer::sum));
        assertThat(perPartition).hasSize(8);
        assertThat(perPartition.values()).allSatisfy(n -> assertThat(n).isBetween(1_000, 1_500));
    }

    @Test
    void aPartitionCountOutOfRangeIsRefused() {
        assertThatThrownBy(() -> ActorPartitions.partitionOf("a", 0)).hasMessageContaining("partitions must be 1 to 1024");
        assertThatThrownBy(() -> SubscriptionOptions.builder().durableName("d").partitions(1025).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions must be 1 to 1024, was 1025");
        assertThatThrownBy(() -> SubscriptionOptions.builder().partitions(4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need a durableName");
        assertThat(SubscriptionOptions.defaults().partitions()).isEqualTo(1);
    }

    @Test
    void everyPartitionGoesToExactlyOneMemberAndCountsDifferByAtMostOne() {
        for (int members = 1; members <= 7; members++) {
            List<String> live = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                live.add("member-" + (char) ('z' - m));
            }
            for (int partitions : new int[] {1, 2, 6, 16, 1024}) {
                Set<Integer> seen = new HashSet<>();
                int least = Integer.MAX_VALUE;
                int most = 0;
                for (String member : live) {
                    Set<Integer> owned = PartitionAssignment.partitionsOf(member, live, partitions);
                    owned.forEach(p -> assertThat(seen.add(p)).as("partition %d has one owner", p).isTrue());
                    least = Math.min(least, owned.size());
                    most = Math.max(most, owned.size());
                }
                assertThat(seen).hasSize(partitions);
                assertThat(most - least).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void theAssignmentDependsOnTheSetOfMembersNotTheirOrder() {
        List<String> one = List.of("c", "a", "b");
        List<String> other = List.of("b", "c", "a");
        assertThat(PartitionAssignment.partitionsOf("a", one, 6)).containsExactly(0, 3);
        assertThat(PartitionAssignment.partitionsOf("a", other, 6)).containsExactly(0, 3);
        assertThat(PartitionAssignment.partitionsOf("c", one, 6)).containsExactly(2, 5);
        assertThat(PartitionAssignment.partitionsOf("gone", one, 6)).isEmpty();
    }

    @Test
    void partitionConsumersAreNamedAfterTheDurableThePartitionAndTheCount() {
        assertThat(SubjectCodec.partitionConsumer("billing", 3, 16)).isEqualTo("billing-p3-of-16");
        assertThat(SubjectCodec.leaseBucket("AETHER")).isEqualTo("AETHER_leases");
        assertThat(PartitionLeases.partitionKey("billing", 3)).isEqualTo("billing.partitions.3");
        assertThat(PartitionLeases.memberKey("billing", "m-1")).isEqualTo("billing.members.m-1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
