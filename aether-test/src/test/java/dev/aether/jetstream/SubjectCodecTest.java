package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aether.ActorId;
import dev.aether.ActorSnapshot;
import dev.aether.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Names and bodies: the parts of the wire format that need no server. */
class SubjectCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"order-1", "a.>", "*", ">", "a b", "$JS.API.>", "注文-ü-😀", "_2E", "a_b", "-", "."})
    void encodesActorIdsReversiblyIntoOneSafeToken(String actorId) {
        String token = SubjectCodec.actorToken(actorId);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(SubjectCodec.decodeActorToken(token)).contains(actorId);
    }

    @Test
    void keepsPlainIdsReadable() {
        assertThat(SubjectCodec.actorToken("order-1")).isEqualTo("order-1");
        assertThat(SubjectCodec.actorToken("a.b c")).isEqualTo("a_2Eb_20c");
        assertThat(SubjectCodec.subject("AETHER", "tenant-a.orders", SubjectLayout.FLAT, "order 1"))
                .isEqualTo("AETHER.tenant-a.orders.order_201");
    }

    @Test
    void hashesTokensThatWouldBeTooLongAndKeepsThemDistinct() {
        String a = "é".repeat(ActorId.MAX_LENGTH);
        String b = "é".repeat(ActorId.MAX_LENGTH - 1) + "e";
        assertThat(SubjectCodec.actorToken(a)).startsWith("_H").hasSize(66).isNotEqualTo(SubjectCodec.actorToken(b));
        assertThat(SubjectCodec.decodeActorToken(SubjectCodec.actorToken(a))).isEmpty();
        String longest = "x".repeat(SubjectCodec.MAX_PLAIN_TOKEN_LENGTH);
        assertThat(SubjectCodec.actorToken(longest)).isEqualTo(longest);
    }

    @Test
    void mapsNamespacesToDistinctStreamsAndBuckets() {
        List<String> names = List.of(
                SubjectCodec.streamName("AETHER", "a.b"), SubjectCodec.streamName("AETHER", "a_b"),
                SubjectCodec.streamName("AETHER", "a_2Eb"), SubjectCodec.snapshotBucket("AETHER", "a.b"),
                SubjectCodec.streamName("KV", "AETHER.a"));
        assertThat(names).doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).matches("[A-Za-z0-9_-]+"));
        assertThat(SubjectCodec.streamName("AETHER", "tenant-a.orders")).isEqualTo("AETHER_tenant-a_2Eorders");
        assertThat(SubjectCodec.messageId("order-1", 7)).isEqualTo("order-1:7");
    }

    @Test
    void refusesBadPrefixesAndMalformedTokens() {
        assertThatThrownBy(() -> SubjectCodec.requireValidPrefix("A.B")).hasMessageContaining("streamPrefix");
        assertThatThrownBy(() -> SubjectCodec.requireValidPrefix("")).hasMessageContaining("streamPrefix");
        assertThatThrownBy(() -> SubjectCodec.decodeActorToken("ab_2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubjectCodec.decodeActorToken("a_2e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubjectCodec.decodeActorToken("a.b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventAndSnapshotBodiesRoundTrip() {
        EventCodec codec = new EventCodec();
        Event event = Event.builder().id("id-%").eventType("Typé").actorId("a").version(3)
                .data(Map.of("big", Long.MAX_VALUE, "d", 1.5, "list", List.of(1, "two", Map.of("x", true))))
                .metadata("k", "v").timestamp(Instant.parse("2026-01-02T03:04:05.123456789Z")).build();
        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
        assertThat(codec.headers(event).getFirst(EventCodec.EVENT_TYPE_HEADER)).isEqualTo("Typ%C3%A9");
        assertThat(codec.headers(event).getFirst(EventCodec.EVENT_ID_HEADER)).isEqualTo("id-%25");

        ActorSnapshot snapshot = new ActorSnapshot("a", 3, Map.of("s", List.of(1, 2)), Instant.EPOCH);
        assertThat(codec.decodeSnapshot(codec.encode(snapshot))).isEqualTo(snapshot);
        assertThatThrownBy(() -> codec.decode("{\"id\":1".getBytes())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event");
    }

    @Test
    void aPartitionedLayoutSubjectCarriesTheLowTenHashBitsLeastSignificantFirstBeforeTheActor() {
        // the test vectors of docs/wire-format.md
        assertThat(SubjectCodec.subject("AETHER", "tenant-a.orders", SubjectLayout.PARTITIONED, "order 1"))
                .isEqualTo("AETHER.tenant-a.orders.0.0.1.1.0.1.0.1.0.0.order_201"); // FNV-1a-32 0x977828ac
        assertThat(SubjectCodec.subject("AETHER", "tenant-a.orders", SubjectLayout.PARTITIONED, "foobar"))
                .isEqualTo("AETHER.tenant-a.orders.0.0.0.1.0.1.1.0.1.0.foobar"); // 0xbf9cf968
        assertThat(SubjectCodec.subject("AETHER", "tenant-a.orders", SubjectLayout.PARTITIONED, "order-1"))
                .isEqualTo("AETHER.tenant-a.orders.1.0.1.1.0.1.1.0.1.0.order-1"); // 0x2b7fcd6d
        assertThat(SubjectCodec.subject("AETHER", "tenant-a.orders", SubjectLayout.FLAT, "order 1"))
                .isEqualTo("AETHER.tenant-a.orders.order_201");
        assertThat(SubjectCodec.streamSubjects("AETHER", "tenant-a.orders", SubjectLayout.PARTITIONED))
                .isEqualTo("AETHER.tenant-a.orders.*.*.*.*.*.*.*.*.*.*.*");
        assertThat(SubjectCodec.actorTokenOf("AETHER.tenant-a.orders.0.0.1.1.0.1.0.1.0.0.order_201"))
                .isEqualTo("order_201");
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-1", "a.>", "*", "a b", "注文-ü-😀", "x", "y", "z", "actor-17"})
    void aPowerOfTwoPartitionsFilterMatchesExactlyTheSubjectsOfItsActors(String actorId) {
        for (int partitions : new int[] {2, 4, 16, 1024}) {
            String subject = SubjectCodec.subject("P", "n", SubjectLayout.PARTITIONED, actorId);
            int own = dev.aether.ActorPartitions.partitionOf(actorId, partitions);
            for (int p = 0; p < partitions; p++) {
                String filter = SubjectCodec.partitionFilter("P", "n", SubjectLayout.PARTITIONED, p, partitions)
                        .orElseThrow();
                assertThat(matches(filter, subject)).as("%s in partition %d of %d", actorId, p, partitions)
                        .isEqualTo(p == own);
            }
        }
    }

    @Test
    void aPartitionFilterExistsOnlyForAPowerOfTwoOnAPartitionedLayout() {
        assertThat(SubjectCodec.partitionFilter("AETHER", "orders", SubjectLayout.PARTITIONED, 1, 4))
                .contains("AETHER.orders.1.0.*.*.*.*.*.*.*.*.*");
        assertThat(SubjectCodec.partitionFilter("AETHER", "orders", SubjectLayout.PARTITIONED, 5, 1024))
                .contains("AETHER.orders.1.0.1.0.0.0.0.0.0.0.*");
        assertThat(SubjectCodec.partitionFilter("AETHER", "orders", SubjectLayout.PARTITIONED, 1, 3)).isEmpty();
        assertThat(SubjectCodec.partitionFilter("AETHER", "orders", SubjectLayout.FLAT, 1, 4)).isEmpty();
        assertThatThrownBy(() -> SubjectCodec.partitionFilter("AETHER", "orders", SubjectLayout.PARTITIONED, 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition");
    }

    @Test
    void theLayoutIsReadFromTheStreamsSubjects() {
        String flat = SubjectCodec.streamSubjects("AETHER", "a", SubjectLayout.FLAT);
        String partitioned = SubjectCodec.streamSubjects("AETHER", "a", SubjectLayout.PARTITIONED);
        assertThat(SubjectCodec.layoutOf("AETHER", "a", List.of(flat))).contains(SubjectLayout.FLAT);
        assertThat(SubjectCodec.layoutOf("AETHER", "a", List.of(partitioned))).contains(SubjectLayout.PARTITIONED);
        assertThat(SubjectCodec.layoutOf("AETHER", "a", List.of(flat, partitioned))).isEmpty();
        assertThat(SubjectCodec.layoutOf("AETHER", "a", List.of("AETHER.a.>"))).isEmpty();
    }

    @Test
    void streamsOfTwoNamespacesOverlapOnlyWhenAFlatOneIsTenTokensDeeperThanAPartitionedOne() {
        String[] namespaces = {"a", "a.b", "a.b.c.d.e.f.g.h.i.j", "a.b.c.d.e.f.g.h.i.j.k", "a.b.c.d.e.f.g.h.i.j.k.l"};
        for (String one : namespaces) {
            for (String other : namespaces) {
                for (SubjectLayout oneLayout : SubjectLayout.values()) {
                    for (SubjectLayout otherLayout : SubjectLayout.values()) {
                        if (one.equals(other)) {
                            continue;
                        }
                        String a = SubjectCodec.streamSubjects("AETHER", one, oneLayout);
                        String b = SubjectCodec.streamSubjects("AETHER", other, otherLayout);
                        int deeper = other.split("\\.").length - one.split("\\.").length;
                        boolean expected = oneLayout != otherLayout && Math.abs(deeper) == SubjectCodec.PARTITION_BITS
                                && (deeper > 0) == (otherLayout == SubjectLayout.FLAT);
                        assertThat(overlap(a, b)).as("%s and %s", a, b).isEqualTo(expected);
                    }
                }
            }
        }
    }

    /** Whether two filters of literal and {@code *} tokens match a common subject. */
    private static boolean overlap(String one, String other) {
        String[] a = one.split("\\.");
        String[] b = other.split("\\.");
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals("*") && !b[i].equals("*") && !a[i].equals(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** NATS subject matching for filters made of literal and {@code *} tokens. */
    private static boolean matches(String filter, String subject) {
        String[] f = filter.split("\\.");
        String[] s = subject.split("\\.");
        if (f.length != s.length) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (!f[i].equals("*") && !f[i].equals(s[i])) {
                return false;
            }
        }
        return true;
    }
}
