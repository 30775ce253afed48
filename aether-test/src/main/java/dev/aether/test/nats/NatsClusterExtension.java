package dev.aether.test.nats;

import static org.awaitility.Awaitility.await;

import dev.aether.test.faults.ClusterFaults;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a private three-node JetStream cluster of local {@code nats-server}
 * processes on 127.0.0.1, for tests of replicated streams ({@code replicas(3)}). Register it on a
 * static field; the cluster lives for the test class and is removed afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NatsClusterExtension CLUSTER = new NatsClusterExtension();
 * }</pre>
 *
 * <p>It needs a nats-server binary ({@value NatsServerExtension#BINARY_ENV} or the {@code PATH});
 * there is no Docker fallback. Starting returns once JetStream has elected its meta leader.
 */
public final class NatsClusterExtension implements BeforeAllCallback, AfterAllCallback, ClusterFaults {

    /** Members of the cluster. */
    public static final int SIZE = 3;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<LocalNatsServer> nodes = new ArrayList<>();
    private final TestConnections connections = new TestConnections();

    /** A three-node cluster with nats-server's defaults. */
    public NatsClusterExtension() {
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (!nodes.isEmpty()) {
            return;
        }
        Path binary = NatsServerExtension.findBinary()
                .orElseThrow(() -> new IllegalStateException(NatsServerExtension.NO_SERVER_MESSAGE));
        List<Integer> ports = LocalNatsServer.freeLoopbackPorts(2 * SIZE);
        List<Integer> clientPorts = ports.subList(0, SIZE);
        List<Integer> clusterPorts = ports.subList(SIZE, 2 * SIZE);
        NatsServerSettings base = new NatsServerSettings(NatsServerSettings.DEFAULT_MAX_PAYLOAD);
        try {
            for (int i = 0; i < SIZE; i++) {
                LocalNatsServer node = new LocalNatsServer(binary,
                        base.asClusterMember("n" + (i + 1), clusterPorts.get(i), clusterPorts));
                nodes.add(node);
                node.startOn(clientPorts.get(i));
            }
            for (int i = 0; i < SIZE; i++) {
                awaitJetStream(i);
            }
        } catch (RuntimeException e) {
            afterAll(context);
            throw e;
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        connections.closeAll();
        nodes.forEach(LocalNatsServer::destroy);
        nodes.clear();
    }

    @Override
    public String url() {
        return nodes.stream().map(n -> "nats://127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /**
     * @param index 0 to {@value #SIZE} - 1
     * @return the client port of one node on 127.0.0.1
     */
    public int port(int index) {
        return nodes.get(index).port();
    }

    /**
     * Connects to the cluster (reconnecting for ever, quietly); closed when the cluster is removed.
     *
     * @return a new connection
     */
    public synchronized Connection connect() {
        return connections.connect(url());
    }

    @Override
    public int size() {
        return SIZE;
    }

    /** Nodes are named {@code n1} to {@code n3}. */
    @Override
    public int indexOf(String serverName) {
        for (int i = 0; i < SIZE; i++) {
            if (("n" + (i + 1)).equals(serverName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node of this cluster is named '" + serverName + "'");
    }

    /**
     * Kills one node with SIGKILL; its store is kept.
     *
     * @param index 0 to {@value #SIZE} - 1
     */
    @Override
    public void kill(int index) {
        nodes.get(index).kill();
    }

    /**
     * Starts a stopped or killed node again on its port and store, and waits until it serves JetStream.
     *
     * @param index 0 to {@value #SIZE} - 1
     */
    @Override
    public void start(int index) {
        nodes.get(index).start();
        awaitJetStream(index);
    }

    @Override
    public void stop(int index) {
        nodes.get(index).stop();
    }

    @Override
    public void pause(int index) {
        nodes.get(index).pause();
    }

    @Override
    public void resume(int index) {
        nodes.get(index).resume();
    }

    /** Kills all three nodes, then starts them together: none can serve JetStream before a majority is back. */
    @Override
    public void restartAll() {
        for (LocalNatsServer node : nodes) {
            node.kill();
        }
        for (LocalNatsServer node : nodes) {
            node.start();
        }
        for (int i = 0; i < SIZE; i++) {
            awaitJetStream(i);
        }
    }

    /** Waits until the node answers JetStream API requests, which needs an elected meta leader. */
    private void awaitJetStream(int index) {
        String nodeUrl = "nats://127.0.0.1:" + nodes.get(index).port();
        await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            try (Connection probe = Nats.connect(Options.builder().server(nodeUrl).noRandomize()
                    .ignoreDiscoveredServers().errorListener(new ErrorListener() { }).build())) {
                return probe.jetStreamManagement().getAccountStatistics() != null;
            }
        });
    }
}
