package dev.aether;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records and POJOs to and from the {@code Map} model of {@link Event#data()}. */
class DataMapperTest {

    record Line(String sku, int quantity) {
    }

    record OrderPlaced(String orderId, long totalCents, boolean express, List<Line> lines) {
    }

    record Priced(String orderId, BigDecimal total) {
    }

    record Timed(String orderId, Instant at) {
    }

    private static Event.Builder event() {
        return Event.builder().eventType("OrderPlaced").actorId("order-1").version(1);
    }

    @Test
    void theBuilderTurnsARecordIntoTheMapModel() {
        Event event = event().data(new OrderPlaced("o-1", 4200, true, List.of(new Line("tea", 2)))).build();

        assertThat(event.data()).isEqualTo(Map.of("orderId", "o-1", "totalCents", 4200, "express", true,
                "lines", List.of(Map.of("sku", "tea", "quantity", 2))));
    }

    @Test
    void dataAsReadsTheMapModelBackIntoTheRecord() {
        OrderPlaced placed = new OrderPlaced("o-1", 5_000_000_000L, false, List.of(new Line("tea", 2)));

        assertThat(event().data(placed).build().dataAs(OrderPlaced.class)).isEqualTo(placed);
        assertThat(event().data(Map.of("orderId", "o-2", "totalCents", 7, "express", true, "lines", List.of()))
                .build().dataAs(OrderPlaced.class)).isEqualTo(new OrderPlaced("o-2", 7, true, List.of()));
    }

    @Test
    void aMapPassedAsAnObjectIsOnlyCopied() {
        Object data = Map.of("amount", 10);

        assertThat(event().data(data).build().data()).isEqualTo(Map.of("amount", 10));
    }

    @Test
    void aValueThatIsNotJsonCompatibleFailsNamingTheField() {
        assertThatThrownBy(() -> event().data(new Priced("o-1", new BigDecimal("1.10"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.total")
                .hasMessageContaining("BigDecimal");
        assertThatThrownBy(() -> event().data(new Timed("o-1", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("data.at of ")
                .hasMessageContaining("is not JSON compatible").hasMessageContaining("java.time.Instant");
    }

    @Test
    void aValueThatIsNotAJsonObjectIsRefused() {
        assertThatThrownBy(() -> event().data("just a string")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("data ");
        assertThatThrownBy(() -> event().data((Object) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("data must not be null");
    }

    @Test
    void dataThatDoesNotFitTheClassFailsNamingTheField() {
        Event event = event().data(Map.of("orderId", "o-1", "totalCents", 7,
                "lines", List.of(Map.of("sku", "tea", "quantity", "two")))).build();

        assertThatThrownBy(() -> event.dataAs(OrderPlaced.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("data.lines[0].quantity cannot be read as " + OrderPlaced.class.getName())
                .hasMessageContaining("\"two\"");
    }

    @Test
    void aFieldTheClassDoesNotHaveIsIgnoredByDefaultAndRefusedByAStricterMapper() {
        Event event = event().data(Map.of("sku", "tea", "quantity", 1, "addedLater", "x")).build();
        DataMapper strict = DataMapper.of(new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));

        assertThat(event.dataAs(Line.class)).isEqualTo(new Line("tea", 1));
        assertThatThrownBy(() -> event.dataAs(Line.class, strict)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("data.addedLater cannot be read as");
    }

    @Test
    void theCallerSuppliesTheObjectMapper() {
        DataMapper upperCase = DataMapper.of(new ObjectMapper()
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.UPPER_SNAKE_CASE));

        Event event = event().data(new Line("tea", 3), upperCase).build();

        assertThat(event.data()).isEqualTo(Map.of("SKU", "tea", "QUANTITY", 3));
        assertThat(event.dataAs(Line.class, upperCase)).isEqualTo(new Line("tea", 3));
    }
}
