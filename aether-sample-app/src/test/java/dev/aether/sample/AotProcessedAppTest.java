package dev.aether.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.aether.test.nats.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service after Spring AOT processing, on the JVM: the build processes it twice (see the
 * module's pom: the in-memory store into {@code target/classes}, the {@code nats} profile into
 * {@code target/aot-nats/classes}), and each test starts one in its own JVM with
 * {@code -Dspring.aot.enabled=true}, opens an account, waits for the {@code @AetherSubscriber} read
 * model to list it and reads the health.
 */
class AotProcessedAppTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Path NATS_CLASSES = Path.of("target", "aot-nats", "classes").toAbsolutePath();

    @Test
    void theProcessedAppRunsOnTheInMemoryStore() throws Exception {
        try (ProcessedApp app = ProcessedApp.start(null)) {
            drive(app, "memory");
        }
    }

    @Test
    void theAppProcessedWithTheNatsProfileRunsOnJetStream() throws Exception {
        assertThat(NATS_CLASSES.resolve("dev/aether/sample/SampleApplication__ApplicationContextInitializer.class"))
                .as("the build's process-aot-nats execution makes it: run this test through Maven").exists();
        try (ProcessedApp app = ProcessedApp.start(NATS_CLASSES, "--spring.profiles.active=nats",
                "--aether.nats.servers=" + NATS.url())) {
            drive(app, "jetstream");
        }
    }

    @Test
    void aStoreTypeOtherThanTheProcessedOneFailsStartupNamingTheProperty() throws Exception {
        try (ProcessedApp app = ProcessedApp.start(null, "--aether.store.type=jetstream")) {
            assertThat(app.process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(app.process.exitValue()).isNotZero();
            assertThat(app.output()).contains("APPLICATION FAILED TO START").contains("aether.store.type")
                    .contains("processed ahead of time");
        }
    }

    private static void drive(ProcessedApp app, String storeType) throws IOException {
        ApiClient api = new ApiClient(app.port);
        await().atMost(STARTUP).ignoreExceptions().until(() -> api.get("/actuator/health").status() == 200);
        assertThat(app.output()).contains("Starting AOT-processed SampleApplication");

        ApiClient.Response opened = api.post("/api/accounts", "{\"id\":\"aot-1\",\"owner\":\"Ada\"}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.get("/api/accounts").json().values())
                .anySatisfy(entry -> assertThat(entry.path("id").asString()).isEqualTo("aot-1")));

        JsonNode health = api.get("/actuator/health").json();
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("aether").path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("aether").path("details").path("storeType").asString())
                .isEqualTo(storeType);
    }

    /** The sample started with {@code java -Dspring.aot.enabled=true}, its output in a file. */
    private record ProcessedApp(Process process, int port, Path log) implements AutoCloseable {

        /**
         * @param firstClasses a directory put before the test's class path (AOT classes that replace
         *                     those in {@code target/classes}), or null
         */
        static ProcessedApp start(Path firstClasses, String... arguments) throws IOException {
            int port = freePort();
            String classPath = System.getProperty("java.class.path");
            if (firstClasses != null) {
                classPath = firstClasses + java.io.File.pathSeparator + classPath;
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dspring.aot.enabled=true", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-cp", classPath, SampleApplication.class.getName(),
                    "--server.port=" + port, "--spring.main.banner-mode=off"));
            command.addAll(List.of(arguments));
            Path log = Files.createTempFile("aot-app", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ProcessedApp(process, port, log);
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(log);
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
