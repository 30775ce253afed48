package dev.aether.test.nats;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The official {@code nats} image run through Testcontainers, for machines without a nats-server
 * binary. The container keeps its store directory across stop/kill and start, and its client port
 * is bound to a fixed port on 127.0.0.1 so that restarts keep the URL. Only loaded when used, so
 * Testcontainers stays an optional dependency.
 */
final class DockerNatsServer implements NatsServerBackend {

    /** The image used; override with the {@code NATS_IMAGE} environment variable. */
    static final String DEFAULT_IMAGE = "nats:2.10";

    private static final String CONFIG_PATH = "/etc/nats/aether-test.conf";
    private static final String READY_LINE = "Server is ready";

    private final GenericContainer<?> container;
    private final int port;
    private int starts;
    private boolean running;

    DockerNatsServer(NatsServerSettings settings) {
        this.port = LocalNatsServer.freeLoopbackPort();
        String image = System.getenv().getOrDefault("NATS_IMAGE", DEFAULT_IMAGE);
        this.container = new GenericContainer<>(DockerImageName.parse(image));
        container.withCopyToContainer(Transferable.of(settings.configuration("0.0.0.0:4222", "/data")), CONFIG_PATH)
                .withCommand("-c", CONFIG_PATH)
                .waitingFor(Wait.forLogMessage(".*" + READY_LINE + ".*", 1));
        container.setPortBindings(List.of("127.0.0.1:" + port + ":4222"));
    }

    /** @return whether Testcontainers can reach a Docker daemon (false when its jar is absent) */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        if (starts == 0) {
            container.start();
        } else {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        }
        starts++;
        int expected = starts;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> countReadyLines(container.getLogs()) >= expected);
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (running) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(20).exec();
            running = false;
        }
    }

    @Override
    public synchronized void kill() {
        if (running) {
            container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
            running = false;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void destroy() {
        running = false;
        container.stop();
    }

    private static int countReadyLines(String log) {
        int count = 0;
        for (int i = log.indexOf(READY_LINE); i >= 0; i = log.indexOf(READY_LINE, i + 1)) {
            count++;
        }
        return count;
    }
}
