package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aether.Event;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The percent-encoding of header values, as docs/wire-format.md defines it, and its trip through a server. */
class EventHeadersTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void writersUseUpperCaseHexDigits() {
        assertThat(EventCodec.headerValue("é%\n")).isEqualTo("%C3%A9%25%0A");
    }

    @Test
    void readersAcceptHexDigitsOfEitherCase() {
        assertThat(EventCodec.fromHeaderValue("%c3%a9vent")).isEqualTo("évent");
        assertThat(EventCodec.fromHeaderValue("%C3%a9vent")).isEqualTo("évent");
        assertThat(EventCodec.fromHeaderValue("%20a%2f%2F")).isEqualTo(" a//");
    }

    @Test
    void refusesAPercentSignWithoutTwoHexDigits() {
        assertThatThrownBy(() -> EventCodec.fromHeaderValue("50%")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two hex digits");
        assertThatThrownBy(() -> EventCodec.fromHeaderValue("%zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesOnlyTheSpacesThatATrimWouldRemove() {
        assertThat(EventCodec.headerValue(" Order Placed ")).isEqualTo("%20Order Placed%20");
        assertThat(EventCodec.headerValue("  two  ")).isEqualTo("%20 two %20");
        assertThat(EventCodec.headerValue("inner space")).isEqualTo("inner space");
    }

    @ParameterizedTest
    @ValueSource(strings = {" leading", "trailing ", "  both  ", "inner space", "é-ü-😀", "100%"})
    void anIdOrTypeWithSpacesAtItsEndsSurvivesARoundTripThroughTheServer(String label) throws Exception {
        Connection connection = NATS.connect();
        JetStreamManagement jsm = connection.jetStreamManagement();
        String stream = "HEADERS_" + Math.abs(label.hashCode());
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects(stream + ".*")
                .storageType(StorageType.Memory).build());
        Event event = Event.builder().id(label).eventType(label).actorId("a").version(1).data(Map.of()).build();
        EventCodec codec = new EventCodec();
        Headers headers = codec.headers(event);
        connection.jetStream().publish(NatsMessage.builder().subject(stream + ".a").headers(headers)
                .data(codec.encode(event)).build());

        MessageInfo stored = jsm.getLastMessage(stream, stream + ".a");
        assertThat(EventCodec.fromHeaderValue(stored.getHeaders().getFirst(EventCodec.EVENT_ID_HEADER))).isEqualTo(label);
        assertThat(EventCodec.fromHeaderValue(stored.getHeaders().getFirst(EventCodec.EVENT_TYPE_HEADER)))
                .isEqualTo(label);
    }

    @Test
    void aNatsClientTrimsAnUnencodedSpaceAtTheEndsOfAHeaderValue() throws Exception {
        Connection connection = NATS.connect();
        JetStreamManagement jsm = connection.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("TRIM").subjects("TRIM.*").storageType(StorageType.Memory)
                .build());
        connection.jetStream().publish(NatsMessage.builder().subject("TRIM.a")
                .headers(new Headers().put("Raw", " padded ")).data(new byte[0]).build());

        assertThat(jsm.getLastMessage("TRIM", "TRIM.a").getHeaders().getFirst("Raw")).isEqualTo("padded");
    }
}
