package dev.aether.test.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension runs a private JetStream server that can be stopped, killed and restarted in place. */
class NatsServerExtensionTest {

    @RegisterExtension
    final NatsServerExtension nats = new NatsServerExtension();

    @Test
    void listensOnLoopbackWithJetStream() throws Exception {
        assertThat(nats.url()).isEqualTo("nats://127.0.0.1:" + nats.port());
        Connection connection = nats.connect();
        assertThat(connection.getServerInfo().isJetStreamAvailable()).isTrue();
        assertThat(connection.getServerInfo().getMaxPayload()).isEqualTo(1024 * 1024);
    }

    @Test
    void keepsPortAndFileStoreAcrossStopKillAndStart() throws Exception {
        int port = nats.port();
        Connection connection = nats.connect();
        JetStreamManagement jsm = connection.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("KEPT").subjects("kept").build());
        connection.jetStream().publish("kept", "one".getBytes());

        nats.stop();
        assertThat(nats.isRunning()).isFalse();
        nats.start();
        nats.kill();
        assertThat(nats.isRunning()).isFalse();
        nats.restart();

        assertThat(nats.isRunning()).isTrue();
        assertThat(nats.port()).isEqualTo(port);
        Connection again = nats.connect();
        assertThat(again.jetStreamManagement().getStreamInfo("KEPT").getStreamState().getMsgCount()).isEqualTo(1);
        assertThat(again.RTT()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void outsideJUnitStartsOnDemandAndCloseRemovesTheServer() {
        NatsServerExtension standalone = new NatsServerExtension();
        standalone.start();
        Connection connection = standalone.connect();
        assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);

        standalone.close();

        assertThat(standalone.isRunning()).isFalse();
        assertThat(connection.getStatus()).isEqualTo(Connection.Status.CLOSED);
    }
}
