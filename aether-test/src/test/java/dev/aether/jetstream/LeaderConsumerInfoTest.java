package dev.aether.jetstream;

import dev.aether.test.nats.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.support.NatsJetStreamConstants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A consumer's state is read from its leader: on a cluster a replica that has never seen a leader answers
 * {@code CONSUMER.INFO} with its own, stale copy (nats-server 2.9 and 2.10 do), and answers first when the client is
 * connected to it. The replica and leader answers here are played by responders on a real server, with the shapes
 * a 2.9.10 cluster gave in a fault run; the server itself answers too, as a server without the stream does.
 */
class LeaderConsumerInfoTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A replica's own state, as one that has seen no leader of the consumer's group reports it: no leader. */
    private static final String LEADERLESS_REPLICA = """
            {"type":"io.nats.jetstream.api.v1.consumer_info_response","stream_name":"FAKE","name":"group",
             "created":"2026-12-06T07:09:10Z","config":{"durable_name":"group","ack_policy":"explicit"},
             "delivered":{"consumer_seq":118641,"stream_seq":117469},
             "ack_floor":{"consumer_seq":6795,"stream_seq":6795},"num_ack_pending":270,"num_redelivered":2,
             "num_waiting":0,"num_pending":2515,
             "cluster":{"name":"aether-test","replicas":[{"name":"n1","current":false,"active":2623341834,
             "lag":89261},{"name":"n2","current":false,"active":0,"lag":89261}]}}""";
    /** The same consumer as its leader reports it. */
    private static final String LEADER = """
            {"type":"io.nats.jetstream.api.v1.consumer_info_response","stream_name":"FAKE","name":"group",
             "created":"2026-12-06T07:09:10Z","config":{"durable_name":"group","ack_policy":"explicit"},
             "delivered":{"consumer_seq":118641,"stream_seq":117469},
             "ack_floor":{"consumer_seq":117939,"stream_seq":116767},"num_ack_pending":269,"num_redelivered":0,
             "num_waiting":0,"num_pending":2515,
             "cluster":{"name":"aether-test","leader":"n2","replicas":[{"name":"n1","current":true,"active":117713532},
             {"name":"n3","current":true,"active":117866363}]}}""";
    private static final String SUBJECT = NatsJetStreamConstants.DEFAULT_API_PREFIX
            + String.format(NatsJetStreamConstants.JSAPI_CONSUMER_INFO, "FAKE", "group");

    @RegisterExtension
    final NatsServerExtension nats = new NatsServerExtension();

    private Connection connection;
    private Connection responders;

    @BeforeEach
    void connect() {
        connection = nats.connect();
        responders = nats.connect();
    }

    @AfterEach
    void close() throws InterruptedException {
        responders.close();
        connection.close();
    }

    @Test
    void takesTheLeadersStateOverAReplicaWithoutALeaderThatAnswersFirst() throws Exception {
        answer(LEADERLESS_REPLICA, 0);
        answer(LEADER, 100);

        Optional<ConsumerInfo> info = LeaderConsumerInfo.read(connection, "FAKE", "group", TIMEOUT);

        assertThat(info).hasValueSatisfying(leader -> {
            assertThat(leader.getAckFloor().getStreamSequence()).isEqualTo(116767);
            assertThat(leader.getClusterInfo().getLeader()).isEqualTo("n2");
        });
    }

    @Test
    void isEmptyWhenOnlyReplicasWithoutALeaderAnswer() throws Exception {
        answer(LEADERLESS_REPLICA, 0);

        assertThat(LeaderConsumerInfo.read(connection, "FAKE", "group", TIMEOUT)).isEmpty();
    }

    @Test
    void readsAConsumerOfASingleServerAndReportsAMissingOneAsTheServersError() throws Exception {
        var management = connection.jetStreamManagement();
        management.addStream(StreamConfiguration.builder().name("REAL").subjects("real.>").build());
        connection.jetStream().publish("real.a", "x".getBytes(StandardCharsets.UTF_8));
        management.addOrUpdateConsumer("REAL", ConsumerConfiguration.builder().durable("group")
                .ackPolicy(AckPolicy.Explicit).build());

        Optional<ConsumerInfo> info = LeaderConsumerInfo.read(connection, "REAL", "group", TIMEOUT);

        assertThat(info).hasValueSatisfying(single -> assertThat(single.getNumPending()).isEqualTo(1));
        assertThatThrownBy(() -> LeaderConsumerInfo.read(connection, "REAL", "missing", TIMEOUT))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode())
                        .isEqualTo(NatsJetStreamConstants.JS_CONSUMER_NOT_FOUND_ERR));
    }

    /** Answers every request on the fake consumer's info subject with this body, after a delay. */
    private void answer(String body, long delayMillis) throws Exception {
        Dispatcher dispatcher = responders.createDispatcher(request -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            responders.publish(request.getReplyTo(), body.getBytes(StandardCharsets.UTF_8));
        });
        dispatcher.subscribe(SUBJECT);
        responders.flush(TIMEOUT);
    }
}
