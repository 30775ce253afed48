package dev.aether.test.nats;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@code nats-server -js} child process listening on 127.0.0.1 with its own temporary directory
 * (configuration, log and JetStream store).
 */
final class LocalNatsServer implements NatsServerBackend {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final String READY_LINE = "Server is ready";
    private static final int PORT_ATTEMPTS = 5;
    private static final InetAddress LOOPBACK = loopback();

    private final Path binary;
    private final NatsServerSettings settings;
    private final Path directory;
    private final Path logFile;
    private final Thread killOnExit = new Thread(this::killQuietly, "nats-server-kill-on-exit");
    private int port;
    private Process process;

    LocalNatsServer(Path binary, NatsServerSettings settings) {
        this.binary = binary;
        this.settings = settings;
        try {
            this.directory = Files.createTempDirectory("aether-nats-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for nats-server", e);
        }
        this.logFile = directory.resolve("nats-server.log");
        // A JVM that dies before afterAll must not leave a nats-server behind.
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts on a fresh free port, picking another one if a parallel process took it first. */
    void startOnFreePort() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            port = freeLoopbackPort();
            try {
                start();
                return;
            } catch (IllegalStateException e) {
                last = e;
                if (!readLog().contains("address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** Starts on a port chosen by the caller (cluster members know each other's ports up front). */
    void startOn(int chosenPort) {
        port = chosenPort;
        start();
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            Path config = directory.resolve("nats-server.conf");
            Files.writeString(config, settings.configuration("127.0.0.1:" + port,
                    directory.resolve("store").toString()));
            long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
            process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            awaitReady(logOffset);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + binary, e);
        }
    }

    private void awaitReady(long logOffset) {
        Process started = process;
        try {
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!started.isAlive()) {
                    return true;
                }
                String log = readLog();
                return log.substring((int) Math.min(logOffset, log.length())).contains(READY_LINE) && accepts(port);
            });
        } catch (ConditionTimeoutException e) {
            started.destroyForcibly();
            throw new IllegalStateException("nats-server did not become ready within " + READY_TIMEOUT
                    + "; its log:\n" + readLog(), e);
        }
        if (!started.isAlive()) {
            throw new IllegalStateException("nats-server exited with code " + started.exitValue()
                    + " while starting; its log:\n" + readLog());
        }
    }

    @Override
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            waitForExit();
        }
    }

    @Override
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Freezes the process with SIGSTOP: it keeps its sockets but answers nothing until {@link #resume()}. */
    synchronized void pause() {
        signal("STOP");
    }

    /** Lets a paused process run again with SIGCONT. */
    synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("nats-server on port " + port + " is not running; cannot send SIG" + name);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + name, e);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public int port() {
        return port;
    }

    /** @return the temporary directory holding configuration, log and store */
    Path directory() {
        return directory;
    }

    @Override
    public synchronized void destroy() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs anyway.
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove " + directory, e);
        }
    }

    private void killQuietly() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }

    private String readLog() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port", e);
        }
    }

    /** @return {@code count} distinct free loopback ports, found by holding them open together */
    static List<Integer> freeLoopbackPorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, LOOPBACK));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find free loopback ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing a listening socket that accepted nothing does not fail in practice.
                }
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
