package dev.aether.jetstream;

import dev.aether.AetherException;
import dev.aether.Event;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The counterexamples the foreign-message property of {@link JetStreamEventStorePropertiesTest} found, kept as named tests: messages another
 * client placed on an actor's subject that the store used to read as a version, or failed on with an exception
 * that named neither the stream nor the message.
 */
class JetStreamForeignMessageTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static Connection connection;
    private static JetStreamEventStore store;

    @BeforeAll
    static void connect() {
        connection = NATS.connect();
        store = JetStreamEventStore.builder(connection).namespace("foreign-examples").build();
    }

    @Test
    void anEventOfAnotherActorOnTheSubjectIsNotReadAsTheActorsLatestVersion() throws Exception {
        String actor = "victim-" + UUID.randomUUID();
        store.saveEvent(event(actor, 1));
        String named = intrude(actor, new EventCodec().encode(event(actor + ".x", 7)), "-3");

        assertThatThrownBy(() -> store.getLatestVersion(actor)).isInstanceOf(AetherException.class)
                .hasMessageContaining(named).hasMessageContaining("belongs to actor '" + actor + ".x'");
    }

    @Test
    void aVersionHeaderThatDisagreesWithTheBodyIsReportedNotTrusted() throws Exception {
        String actor = "victim-" + UUID.randomUUID();
        store.saveEvent(event(actor, 1));
        String named = intrude(actor, new EventCodec().encode(event(actor, 7)), "1000000");

        assertThatThrownBy(() -> store.getEvents(actor, 0)).isInstanceOf(AetherException.class)
                .hasMessageContaining(named).hasMessageContaining("header is '1000000' but its body has version 7");
        assertThatThrownBy(() -> store.saveEvent(event(actor, 8))).isInstanceOf(AetherException.class)
                .hasMessageContaining(named);
    }

    @Test
    void aJsonNullBodyOrABadTimestampIsReportedAsNotAnAetherEvent() throws Exception {
        String nullBody = "victim-" + UUID.randomUUID();
        String namedNull = intrude(nullBody, "null".getBytes(StandardCharsets.UTF_8), null);
        String badTime = "victim-" + UUID.randomUUID();
        String namedTime = intrude(badTime, ("{\"id\":\"x\",\"eventType\":\"T\",\"actorId\":\"" + badTime
                + "\",\"version\":1,\"timestamp\":\"now\"}").getBytes(StandardCharsets.UTF_8), null);

        assertThatThrownBy(() -> store.getLatestVersion(nullBody)).isInstanceOf(AetherException.class)
                .hasMessageContaining(namedNull + " is not an Aether event")
                .hasRootCauseMessage("Not a valid Aether event body: it is empty or JSON null");
        assertThatThrownBy(() -> store.getEvents(badTime, 0)).isInstanceOf(AetherException.class)
                .hasMessageContaining(namedTime + " is not an Aether event")
                .cause().hasMessageContaining("Not a valid Aether event body").hasMessageContaining("now");
        assertThat(store.getLatestVersion("bystander-" + UUID.randomUUID())).isZero();
    }

    @Test
    void aValidEventWhoseVersionIsNotAboveThePreviousOneIsReportedAsBreakingTheOrder() throws Exception {
        String actor = "victim-" + UUID.randomUUID();
        for (long v = 1; v <= 3; v++) {
            store.saveEvent(event(actor, v));
        }
        String named = intrude(actor, new EventCodec().encode(event(actor, 2)), "2");

        JetStreamEventStore fresh = JetStreamEventStore.builder(connection).namespace(store.namespace()).build();
        assertThatThrownBy(() -> fresh.getEvents(actor, 0)).isInstanceOf(AetherException.class)
                .hasMessageContaining(named)
                .hasMessageContaining("its version 2 is not above version 3 of the actor's message before it");
        assertThatThrownBy(() -> store.getEvents(actor, 0)).as("the store that cached versions 1 to 3")
                .isInstanceOf(AetherException.class).hasMessageContaining(named);
        assertThat(fresh.getEvents("bystander-" + UUID.randomUUID(), 0)).isEmpty();
    }

    /** Publishes a raw message on the actor's subject; @return how the store names it in errors. */
    private static String intrude(String actor, byte[] body, String versionHeader) throws Exception {
        Headers headers = new Headers();
        if (versionHeader != null) {
            headers.put(EventCodec.VERSION_HEADER, versionHeader);
        }
        PublishAck ack = connection.jetStream().publish(NatsMessage.builder()
                .subject(SubjectCodec.subject(SubjectCodec.DEFAULT_PREFIX, store.namespace(), SubjectLayout.FLAT, actor))
                .headers(headers).data(body).build());
        return "Message " + ack.getSeqno() + " of stream " + store.streamName();
    }

    private static Event event(String actorId, long version) {
        return Event.builder().eventType("Probe").actorId(actorId).version(version).data(Map.of("v", version)).build();
    }
}
