package dev.aether.test.nats;

import io.nats.client.Connection;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a private {@code nats-server -js} on a free port of 127.0.0.1 with a
 * temporary JetStream store, and removes it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NatsServerExtension NATS = new NatsServerExtension();
 *
 * @Test
 * void savesEvents() {
 *     Connection connection = NATS.connect();
 *     ...
 *     NATS.kill();      // kill -9
 *     NATS.start();     // same port, same store directory
 * }
 * }</pre>
 *
 * <p>Registered on a static field the server lives for the test class; on an instance field, for
 * one test. A test that stops or kills the server need not restart it: the next test finds it
 * running again.
 *
 * <p>The binary is {@value #BINARY_ENV} when set, else {@code nats-server} on the {@code PATH}.
 * Without one, and with Docker running and Testcontainers on the class path, the official
 * {@code nats} image runs instead (image {@code NATS_IMAGE}, default {@value DockerNatsServer#DEFAULT_IMAGE}).
 * Without either, starting fails with a message that says how to get a server.
 */
public final class NatsServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AutoCloseable {

    /** Environment variable naming the nats-server binary to run. */
    public static final String BINARY_ENV = "NATS_SERVER_BIN";

    static final String NO_SERVER_MESSAGE = "No nats-server found: install nats-server 2.9 or newer on the PATH "
            + "(for example 'apt-get install nats-server' or a release from the NATS project), or set "
            + BINARY_ENV + " to its path";

    private final NatsServerSettings settings;
    private final TestConnections connections = new TestConnections();
    private NatsServerBackend backend;
    private boolean perTest;

    /** A server with nats-server's defaults (1 MiB max payload). */
    public NatsServerExtension() {
        this(new NatsServerSettings(NatsServerSettings.DEFAULT_MAX_PAYLOAD));
    }

    private NatsServerExtension(NatsServerSettings settings) {
        this.settings = settings;
    }

    /**
     * @param bytes the server's {@code max_payload}, 1 byte to 64 MiB
     * @return an extension whose server accepts messages of at most this size (headers plus body)
     */
    public NatsServerExtension withMaxPayload(int bytes) {
        return new NatsServerExtension(new NatsServerSettings(bytes).withExtra(settings.extra()));
    }

    /**
     * @param blocks nats-server configuration blocks added after the listen address and JetStream block,
     *               such as {@code accounts { ... }} with users and their subject permissions
     * @return an extension whose server runs with them; connect to {@link #url()} as one of its users
     */
    public NatsServerExtension withConfiguration(String blocks) {
        return new NatsServerExtension(settings.withExtra(blocks));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfNeeded();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (backend == null) {
            perTest = true;
        }
        startIfNeeded();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            destroy();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        destroy();
    }

    /**
     * Closes the connections handed out, stops the server and removes its directory: what
     * {@code afterAll} does, for code outside JUnit (a benchmark, a main method) that called {@link #start()}.
     */
    @Override
    public void close() {
        destroy();
    }

    /** @return the URL to connect to, {@code nats://127.0.0.1:<port>} */
    public String url() {
        return "nats://127.0.0.1:" + port();
    }

    /** @return the client port on 127.0.0.1; the same across restarts */
    public int port() {
        return requireBackend().port();
    }

    /** @return whether the server is running now */
    public synchronized boolean isRunning() {
        return backend != null && backend.isRunning();
    }

    /** Starts the server (again) on the same port and store directory, and waits until it accepts clients. */
    public synchronized void start() {
        startIfNeeded();
    }

    /** Shuts the server down gracefully and waits for it to exit; the store is kept. */
    public void stop() {
        requireBackend().stop();
    }

    /** Kills the server with SIGKILL (kill -9) and waits for it to exit; the store is kept as the kill left it. */
    public void kill() {
        requireBackend().kill();
    }

    /** Stops the server gracefully and starts it again on the same port and store directory. */
    public void restart() {
        stop();
        start();
    }

    /**
     * Connects to the server with options suited to tests that stop and restart it: reconnect for
     * ever, quickly, without logging each attempt. The extension closes the connection when it removes the server.
     *
     * @return a new connection
     */
    public synchronized Connection connect() {
        return connections.connect(url());
    }

    private synchronized void startIfNeeded() {
        if (backend == null) {
            backend = createBackend();
        } else {
            backend.start();
        }
    }

    private NatsServerBackend createBackend() {
        Optional<Path> binary = findBinary();
        if (binary.isPresent()) {
            LocalNatsServer server = new LocalNatsServer(binary.get(), settings);
            try {
                server.startOnFreePort();
            } catch (RuntimeException e) {
                server.destroy();
                throw e;
            }
            return server;
        }
        if (testcontainersPresent() && DockerNatsServer.dockerAvailable()) {
            DockerNatsServer server = new DockerNatsServer(settings);
            server.start();
            return server;
        }
        throw new IllegalStateException(NO_SERVER_MESSAGE
                + ", or run Docker with org.testcontainers:testcontainers on the test class path to use the "
                + "official 'nats' image");
    }

    /** Testcontainers is optional: check for it before any class that uses it is loaded. */
    private static boolean testcontainersPresent() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, NatsServerExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** @return the nats-server binary named by {@value #BINARY_ENV} or found on the PATH */
    static Optional<Path> findBinary() {
        String configured = System.getenv(BINARY_ENV);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(BINARY_ENV + " is set to '" + configured
                        + "', which is not an executable file");
            }
            return Optional.of(path);
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        List<String> directories = new ArrayList<>(List.of(pathVariable.split(File.pathSeparator)));
        directories.addAll(List.of("/usr/local/bin", "/usr/bin", "/usr/sbin"));
        return directories.stream()
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "nats-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private synchronized NatsServerBackend requireBackend() {
        if (backend == null) {
            throw new IllegalStateException("The nats-server is not started: register NatsServerExtension with "
                    + "@RegisterExtension, or call start() first");
        }
        return backend;
    }

    private synchronized void destroy() {
        connections.closeAll();
        if (backend != null) {
            backend.destroy();
            backend = null;
        }
        perTest = false;
    }
}
