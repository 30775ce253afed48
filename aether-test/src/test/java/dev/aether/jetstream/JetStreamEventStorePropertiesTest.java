package dev.aether.jetstream;

import dev.aether.AetherException;
import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.test.SnapshotStoreProperties;
import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JetStreamEventStore} keeps the arbitrary- and hostile-input properties on a real nats-server,
 * one server for the whole class, with a message size limit of {@link #PAYLOAD_PROBE_BYTES}.
 *
 * <p>And one property of its own: another client publishes, on an actor's subject, a message that breaks the
 * wire format's rules (a body that is not JSON or not an event, an event of another actor, a version header that
 * disagrees with the body). Every read and save of that actor then fails with an {@link AetherException} naming
 * the stream and the message, the failed save stores nothing, and the actors beside it read and write as before
 * ({@value #FOREIGN_TRIES} tries; the counterexamples found are kept in {@link JetStreamForeignMessageTest}).
 */
class JetStreamEventStorePropertiesTest extends SnapshotStoreProperties {

    static final int FOREIGN_TRIES = 50;

    private static final NatsServerExtension NATS = new NatsServerExtension().withMaxPayload(PAYLOAD_PROBE_BYTES);
    private static Connection connection;
    private JetStreamEventStore foreignStore;

    @BeforeContainer
    static void startServer() {
        NATS.start();
        connection = NATS.connect();
    }

    @AfterContainer
    static void stopServer() {
        NATS.close();
    }

    @Override
    protected SnapshotStore createStore(String namespace) {
        return JetStreamEventStore.builder(connection).namespace(namespace).build();
    }

    @BeforeProperty
    void createForeignStore() {
        foreignStore = JetStreamEventStore.builder(connection).namespace("foreign").build();
    }

    @Property(tries = FOREIGN_TRIES)
    void aMessageThatBreaksTheWireFormatFailsOnlyItsActorAndNamesTheMessage(@ForAll("foreignMessages") Foreign foreign)
            throws Exception {
        String victim = "victim-" + UUID.randomUUID();
        String neighbour = victim + ".neighbour";
        foreignStore.saveEvent(event(victim, 1));
        foreignStore.saveEvent(event(neighbour, 1));
        Headers headers = new Headers();
        foreign.versionHeader().forEach(headers::put);
        PublishAck ack = connection.jetStream().publish(NatsMessage.builder()
                .subject(SubjectCodec.subject(SubjectCodec.DEFAULT_PREFIX, foreignStore.namespace(), SubjectLayout.FLAT, victim))
                .headers(headers).data(foreign.body(victim)).build());
        String named = "Message " + ack.getSeqno() + " of stream " + foreignStore.streamName();

        assertThatThrownBy(() -> foreignStore.getEvents(victim, 0)).isInstanceOf(AetherException.class).hasMessageContaining(named);
        assertThatThrownBy(() -> foreignStore.getLatestVersion(victim)).isInstanceOf(AetherException.class).hasMessageContaining(named);
        assertThatThrownBy(() -> foreignStore.saveEvent(event(victim, 1_000))).isInstanceOf(AetherException.class)
                .hasMessageContaining(named);
        assertThat(connection.jetStreamManagement().getLastMessage(foreignStore.streamName(),
                SubjectCodec.subject(SubjectCodec.DEFAULT_PREFIX, foreignStore.namespace(), SubjectLayout.FLAT, victim)).getSeq())
                .as("the failed save stored nothing").isEqualTo(ack.getSeqno());

        foreignStore.saveEvent(event(neighbour, 2));
        assertThat(foreignStore.getEvents(neighbour, 0)).extracting(Event::version).containsExactly(1L, 2L);
    }

    private static Event event(String actorId, long version) {
        return Event.builder().eventType("Probe").actorId(actorId).version(version).data(Map.of("v", version)).build();
    }

    /** A foreign message: how its body is made for the victim actor, and which version header it carries. */
    record Foreign(String kind, String text, Map<String, String> versionHeader) {
        byte[] body(String victim) {
            EventCodec codec = new EventCodec();
            return switch (kind) {
                case "text" -> text.getBytes(StandardCharsets.UTF_8);
                case "otherActor" -> codec.encode(event(victim + text, 7));
                case "headerDisagrees" -> codec.encode(event(victim, 7));
                default -> throw new IllegalStateException(kind);
            };
        }

        @Override
        public String toString() {
            return kind + " '" + text + "' " + versionHeader;
        }
    }

    @Provide
    Arbitrary<Foreign> foreignMessages() {
        Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("", "{}", "[]", "null", "42", "{\"version\":5}", "{\"id\":\"x\",\"actorId\":\"y\"}",
                        "{\"eventType\":\"T\",\"actorId\":\"a\",\"version\":-1,\"timestamp\":\"now\"}"));
        Arbitrary<Map<String, String>> header = Arbitraries.oneOf(Arbitraries.just(Map.of()),
                Arbitraries.of("2", "-3", "x", "", "99999999999999999999").map(v -> Map.of(EventCodec.VERSION_HEADER, v)));
        Arbitrary<Foreign> text = junk.flatMap(body -> header.map(h -> new Foreign("text", body, h)));
        Arbitrary<Foreign> otherActor = Arbitraries.of(".x", "-other", " ").flatMap(
                suffix -> header.map(h -> new Foreign("otherActor", suffix, h)));
        Arbitrary<Foreign> headerDisagrees = Arbitraries.of("2", "8", "1000000")
                .map(v -> new Foreign("headerDisagrees", "", Map.of(EventCodec.VERSION_HEADER, v)));
        return Arbitraries.oneOf(text, otherActor, headerDisagrees);
    }
}
