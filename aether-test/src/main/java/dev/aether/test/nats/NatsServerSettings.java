package dev.aether.test.nats;

/**
 * What a private nats-server is configured with, and the configuration file text that says it.
 *
 * @param maxPayload the server's {@code max_payload} in bytes, between 1 and 64 MiB
 */
record NatsServerSettings(int maxPayload) {

    /** The server default, 1 MiB. */
    static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

    /** Validates the settings. */
    NatsServerSettings {
        if (maxPayload < 1 || maxPayload > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxPayload must be between 1 and 67108864 bytes, was " + maxPayload);
        }
    }

    /**
     * @param listen   the {@code host:port} to listen on
     * @param storeDir the JetStream store directory
     * @return nats-server configuration text with JetStream enabled
     */
    String configuration(String listen, String storeDir) {
        return "listen: \"" + listen + "\"\n"
                + "max_payload: " + maxPayload + "\n"
                + "jetstream {\n  store_dir: \"" + storeDir.replace("\\", "\\\\") + "\"\n}\n";
    }
}
