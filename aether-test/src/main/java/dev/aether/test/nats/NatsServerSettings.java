package dev.aether.test.nats;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a private nats-server is configured with, and the configuration file text that says it.
 *
 * @param maxPayload  the server's {@code max_payload} in bytes, between 1 and 64 MiB
 * @param serverName  the server's name in a cluster, or null for a single server
 * @param clusterPort the loopback port for cluster routes (ignored without a server name)
 * @param routePorts  the cluster ports of every member, this one included (empty for a single server)
 * @param extra       further configuration blocks (accounts, authorization), or empty
 */
record NatsServerSettings(int maxPayload, String serverName, int clusterPort, List<Integer> routePorts, String extra) {

    /** The server default, 1 MiB. */
    static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

    /** Validates the settings. */
    NatsServerSettings {
        if (maxPayload < 1 || maxPayload > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxPayload must be between 1 and 67108864 bytes, was " + maxPayload);
        }
        routePorts = List.copyOf(routePorts);
        extra = extra == null ? "" : extra;
    }

    /** @param maxPayload the server's {@code max_payload} in bytes */
    NatsServerSettings(int maxPayload) {
        this(maxPayload, null, 0, List.of(), "");
    }

    /** @return these settings with configuration blocks added after the JetStream block */
    NatsServerSettings withExtra(String blocks) {
        return new NatsServerSettings(maxPayload, serverName, clusterPort, routePorts, blocks);
    }

    /**
     * @return these settings for one member of a cluster named {@code aether-test}
     */
    NatsServerSettings asClusterMember(String name, int ownClusterPort, List<Integer> allClusterPorts) {
        return new NatsServerSettings(maxPayload, name, ownClusterPort, allClusterPorts, extra);
    }

    /**
     * @param listen   the {@code host:port} to listen on
     * @param storeDir the JetStream store directory
     * @return nats-server configuration text with JetStream enabled
     */
    String configuration(String listen, String storeDir) {
        String single = "listen: \"" + listen + "\"\n"
                + "max_payload: " + maxPayload + "\n"
                + "jetstream {\n  store_dir: \"" + storeDir.replace("\\", "\\\\") + "\"\n}\n" + extra + "\n";
        if (serverName == null) {
            return single;
        }
        return single + "server_name: \"" + serverName + "\"\n"
                + "cluster {\n  name: \"aether-test\"\n  listen: \"127.0.0.1:" + clusterPort + "\"\n"
                + "  routes: [" + routePorts.stream().map(p -> "\"nats-route://127.0.0.1:" + p + "\"")
                        .collect(Collectors.joining(", ")) + "]\n}\n";
    }
}
