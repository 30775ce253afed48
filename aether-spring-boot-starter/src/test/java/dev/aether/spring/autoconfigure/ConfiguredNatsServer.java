package dev.aether.spring.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.util.FileSystemUtils;

import static org.awaitility.Awaitility.await;

/**
 * A private nats-server with JetStream on a free 127.0.0.1 port, started from a configuration file
 * written here, for the authentication and TLS settings that {@code NatsServerExtension} does not
 * offer. The binary is {@code $NATS_SERVER_BIN}, or {@code nats-server} on the path.
 */
final class ConfiguredNatsServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path directory;

    private ConfiguredNatsServer(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /**
     * Starts a server and waits until its port accepts connections.
     *
     * @param configuration nats-server configuration blocks (authorization, tls, ...) added after
     *                      the listen address and JetStream settings
     */
    static ConfiguredNatsServer start(String configuration) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path directory = Files.createTempDirectory("aether-nats");
        Path config = directory.resolve("nats-server.conf");
        Files.writeString(config, "listen: \"127.0.0.1:" + port + "\"\n"
                + "jetstream { store_dir: \"" + directory.resolve("store") + "\" }\n" + configuration + "\n");
        String binary = System.getenv().getOrDefault("NATS_SERVER_BIN", "nats-server");
        Process process = new ProcessBuilder(binary, "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("nats-server.log").toFile()).start();
        ConfiguredNatsServer server = new ConfiguredNatsServer(process, port, directory);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("nats-server exited: " + server.log());
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException ex) {
                    return false;
                }
            });
        } catch (RuntimeException ex) {
            server.close();
            throw ex;
        }
        return server;
    }

    int port() {
        return port;
    }

    /** @return {@code nats://127.0.0.1:<port>} */
    String url() {
        return "nats://127.0.0.1:" + port;
    }

    String log() throws IOException {
        Path log = directory.resolve("nats-server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        FileSystemUtils.deleteRecursively(directory);
    }
}
