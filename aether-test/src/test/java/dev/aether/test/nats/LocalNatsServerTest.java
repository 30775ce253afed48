package dev.aether.test.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The local process backend: clean removal, and a clear failure when the binary cannot serve. */
class LocalNatsServerTest {

    private static final NatsServerSettings DEFAULTS = new NatsServerSettings(NatsServerSettings.DEFAULT_MAX_PAYLOAD);

    @Test
    void removesItsDirectoryAndProcessWhenDestroyed() {
        Path binary = NatsServerExtension.findBinary().orElseThrow(
                () -> new IllegalStateException(NatsServerExtension.NO_SERVER_MESSAGE));
        LocalNatsServer server = new LocalNatsServer(binary, DEFAULTS);
        server.startOnFreePort();
        assertThat(server.isRunning()).isTrue();
        assertThat(server.directory().resolve("store")).isDirectory();

        server.destroy();

        assertThat(server.isRunning()).isFalse();
        assertThat(Files.exists(server.directory())).isFalse();
    }

    @Test
    void reportsAServerThatExitsWhileStartingWithItsLog() {
        LocalNatsServer server = new LocalNatsServer(Path.of("/bin/false"), DEFAULTS);
        try {
            assertThatThrownBy(server::startOnFreePort).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 1");
        } finally {
            server.destroy();
        }
    }
}
