package dev.aether.spring.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.FileSystemUtils;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wrong credentials against a nats-server that requires a user and password: startup fails with a
 * message that says so and never prints the secret. The server is started here because
 * {@code NatsServerExtension} runs servers without authentication.
 */
class NatsAuthenticationFailureTests {

    private static Process server;
    private static int port;
    private static Path storeDirectory;

    @BeforeAll
    static void startServerWithAuthentication() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String binary = System.getenv().getOrDefault("NATS_SERVER_BIN", "nats-server");
        Path log = Files.createTempFile("aether-auth-nats", ".log");
        storeDirectory = Files.createTempDirectory("aether-auth-nats");
        server = new ProcessBuilder(binary, "-js", "-sd", storeDirectory.toString(), "-a", "127.0.0.1", "-p",
                String.valueOf(port), "--user", "app", "--pass", "right-secret").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException ex) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopServer() throws InterruptedException, IOException {
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
        if (storeDirectory != null) {
            FileSystemUtils.deleteRecursively(storeDirectory);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class))
            .withPropertyValues("aether.store.type=jetstream", "aether.nats.servers=nats://127.0.0.1:" + port,
                    "aether.nats.connect-timeout=1s");

    @Test
    void aWrongPasswordFailsStartupWithoutPrintingIt() {
        runner.withPropertyValues("aether.nats.username=app", "aether.nats.password=wrong-secret").run(context -> {
            assertThat(context).hasFailed();
            String text = messages(context.getStartupFailure());
            assertThat(text).contains("refused the credentials").contains("aether.nats.username/password")
                    .doesNotContain("wrong-secret").doesNotContain("right-secret");
            FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).doesNotContain("wrong-secret");
            assertThat(analysis.getAction()).contains("aether.nats.username/password");
        });
    }

    @Test
    void aWrongTokenFailsStartupWithoutPrintingIt() {
        runner.withPropertyValues("aether.nats.token=token-secret").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("refused the credentials")
                    .doesNotContain("token-secret");
        });
    }

    @Test
    void theRightPasswordConnects() {
        runner.withPropertyValues("aether.nats.username=app", "aether.nats.password=right-secret",
                "aether.nats.drain-timeout=1s").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(io.nats.client.Connection.class).getStatus())
                            .isEqualTo(io.nats.client.Connection.Status.CONNECTED);
                });
    }
}
