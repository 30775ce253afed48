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
}
