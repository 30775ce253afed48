package dev.aether;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTest {

    private static Event.Builder valid() {
        return Event.builder().eventType("OrderPlaced").actorId("order-1").version(1);
    }

    @Test
    void theBuilderFillsIdTimestampDataAndMetadataByDefault() {
        Instant before = Instant.now();
        Event event = valid().build();

        assertThat(UUID.fromString(event.id())).isNotNull();
        assertThat(event.timestamp()).isBetween(before, Instant.now());
        assertThat(event.data()).isEmpty();
        assertThat(event.metadata()).isEmpty();
        assertThat(valid().build().id()).isNotEqualTo(event.id());
    }

    @Test
    void theBuilderSetsEveryComponentAndTheTracingHelpers() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456789Z");
        Event event = Event.builder().id("e-1").eventType("Deposited").actorId("acc.1").version(7)
                .data(Map.of("amount", 10)).metadata("k", "v").timestamp(at)
                .correlationId("c").causationId("ca").userId("u").traceId("t").spanId("s").build();

        assertThat(event).isEqualTo(new Event("e-1", "Deposited", "acc.1", 7, Map.of("amount", 10),
                Map.of("k", "v", Event.CORRELATION_ID, "c", Event.CAUSATION_ID, "ca", Event.USER_ID, "u",
                        Event.TRACE_ID, "t", Event.SPAN_ID, "s"), at));
        assertThat(event.correlationId()).contains("c");
        assertThat(event.causationId()).contains("ca");
        assertThat(event.userId()).contains("u");
        assertThat(event.traceId()).contains("t");
        assertThat(event.spanId()).contains("s");
        assertThat(valid().build().correlationId()).isEmpty();
    }

    @Test
    void withersAndToBuilderReturnCopies() {
        Event event = valid().metadata("a", "1").build();

        Event bumped = event.withVersion(2);
        Event tagged = event.withMetadata("b", "2");
        Event rebuilt = event.toBuilder().eventType("OrderPaid").build();

        assertThat(event.version()).isEqualTo(1);
        assertThat(bumped).isEqualTo(new Event(event.id(), event.eventType(), event.actorId(), 2, event.data(),
                event.metadata(), event.timestamp()));
        assertThat(event.metadata()).containsOnlyKeys("a");
        assertThat(tagged.metadata()).containsEntry("a", "1").containsEntry("b", "2");
        assertThat(rebuilt.eventType()).isEqualTo("OrderPaid");
        assertThat(rebuilt.id()).isEqualTo(event.id());
        assertThat(rebuilt.timestamp()).isEqualTo(event.timestamp());
    }

    @Test
    void dataIsDeepCopiedAndUnmodifiable() {
        List<Object> lines = new ArrayList<>(List.of("a"));
        Map<String, Object> nested = new HashMap<>(Map.of("lines", lines));
        Map<String, Object> data = new HashMap<>(Map.of("order", nested));
        Event event = valid().data(data).build();

        lines.add("b");
        nested.put("x", 1);
        data.put("y", 2);

        assertThat(event.data()).isEqualTo(Map.of("order", Map.of("lines", List.of("a"))));
        assertThatThrownBy(() -> event.data().put("z", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> order = (Map<String, Object>) event.data().get("order");
        assertThatThrownBy(() -> order.put("z", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> copiedLines = (List<Object>) order.get("lines");
        assertThatThrownBy(() -> copiedLines.add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void dataKeepsNullValuesAndNormalisesNumbersAsJsonReadsThem() {
        Map<String, Object> data = new HashMap<>();
        data.put("none", null);
        data.put("short", (short) 3);
        data.put("long", 5L);
        data.put("bigLong", 5_000_000_000L);
        data.put("bigInteger", BigInteger.TEN);
        data.put("hugeInteger", BigInteger.TEN.pow(30));
        data.put("float", 1.5f);
        data.put("list", Arrays.asList(1L, null, "x"));

        Event event = valid().data(data).build();

        assertThat(event.data()).containsEntry("none", null).containsEntry("short", 3).containsEntry("long", 5)
                .containsEntry("bigLong", 5_000_000_000L).containsEntry("bigInteger", 10)
                .containsEntry("hugeInteger", BigInteger.TEN.pow(30)).containsEntry("float", 1.5d)
                .containsEntry("list", Arrays.asList(1, null, "x"));
    }

    @Test
    void refusesValuesThatAreNotJson() {
        assertThatThrownBy(() -> valid().data(Map.of("when", Instant.now())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.when")
                .hasMessageContaining("JSON");
        assertThatThrownBy(() -> valid().data(Map.of("n", Map.of("d", Double.NaN))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.n.d").hasMessageContaining("finite");
        assertThatThrownBy(() -> valid().data(Map.of("price", new BigDecimal("9.99"))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.price")
                .hasMessageContaining("BigDecimal");
        assertThatThrownBy(() -> valid().data(Map.of("m", Map.of(1, "x"))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.m").hasMessageContaining("String");
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> valid().data(nullKey).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("data").hasMessageContaining("null key");
    }

    @Test
    void refusesNullComponents() {
        assertThatThrownBy(() -> valid().eventType(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("eventType");
        assertThatThrownBy(() -> valid().actorId(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("actorId");
        assertThatThrownBy(() -> valid().id(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("id");
        assertThatThrownBy(() -> valid().data(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("data");
        assertThatThrownBy(() -> valid().metadata(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("metadata");
        assertThatThrownBy(() -> valid().metadata("k", null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("metadata['k']");
        assertThatThrownBy(() -> new Event("id", "T", "a", 1, Map.of(), Map.of(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n"})
    void refusesBlankLabels(String blank) {
        assertThatThrownBy(() -> valid().eventType(blank).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventType must not be blank");
        assertThatThrownBy(() -> valid().actorId(blank).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId must not be blank");
        assertThatThrownBy(() -> valid().id(blank).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id must not be blank");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void refusesVersionsBelowOne(long version) {
        assertThatThrownBy(() -> valid().version(version).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version must be at least 1");
    }

    @Test
    void refusesOverlongAndControlCharacterLabels() {
        assertThatThrownBy(() -> valid().actorId("a".repeat(ActorId.MAX_LENGTH + 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actorId must be at most 1024");
        assertThat(valid().actorId("a".repeat(ActorId.MAX_LENGTH)).build().actorId()).hasSize(ActorId.MAX_LENGTH);
        assertThatThrownBy(() -> valid().eventType("x".repeat(Event.MAX_EVENT_TYPE_LENGTH + 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventType must be at most");
        assertThatThrownBy(() -> valid().eventType("Order\r\nPlaced").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventType must not contain control");
        assertThatThrownBy(() -> valid().metadata(" ", "v").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata keys");
    }

    @Test
    void actorIdsMayContainAnyVisibleCharacter() {
        for (String id : List.of("a.>", "*", "a b", "$JS.API.>", "заказ-1", "🚀.1")) {
            assertThat(valid().actorId(id).build().actorId()).isEqualTo(id);
        }
    }

    /** Found by the store properties: a lone surrogate half was written as JSON no reader accepts. */
    @Test
    void refusesUnpairedSurrogatesInEveryStringNamingTheField() {
        String lone = "a\uD800";
        assertThatThrownBy(() -> valid().actorId(lone).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId must be well-formed Unicode").hasMessageContaining("U+D800 at index 1");
        assertThatThrownBy(() -> valid().eventType("\uDC00x").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventType must be well-formed Unicode");
        assertThatThrownBy(() -> valid().id(lone).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id must be well-formed Unicode");
        assertThatThrownBy(() -> valid().metadata("k", lone).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadata['k'] must be well-formed Unicode");
        assertThatThrownBy(() -> valid().data(Map.of("list", List.of("ok", lone))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.list[1] must be well-formed");
        assertThatThrownBy(() -> valid().data(Map.of(lone, 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data key must be well-formed");
        assertThatThrownBy(() -> new ActorSnapshot(lone, 1, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorId must be well-formed Unicode");
        assertThat(valid().actorId("\uD83D\uDE80").build().actorId()).isEqualTo("🚀");
    }
}
