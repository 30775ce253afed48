package dev.aether.spring.health;

import java.net.URI;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.StreamInfo;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of Aether's store, shown as the component {@code aether}. Details: the store type and the
 * namespace; for JetStream also the connection status, the server it is connected to (without user
 * info), and whether the namespace's stream exists with its message count. DOWN while NATS is
 * disconnected or the stream is missing; UP again after a reconnect. Nothing secret is shown.
 */
public class AetherHealthIndicator extends AbstractHealthIndicator {

    /** JetStream's "stream not found" error code; jnats declares no constant for it. */
    private static final int STREAM_NOT_FOUND = 10059;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final String storeType;
    private final String namespace;
    private final Connection connection;
    private final String streamName;

    /**
     * A store without NATS (the in-memory store): always UP.
     *
     * @param storeType the store type shown in the details
     * @param namespace the namespace shown in the details
     */
    public AetherHealthIndicator(String storeType, String namespace) {
        this(storeType, namespace, null, null);
    }

    /**
     * @param storeType  the store type shown in the details
     * @param namespace  the namespace shown in the details
     * @param connection the NATS connection to check, or null for none
     * @param streamName the JetStream stream to check, or null for none
     */
    public AetherHealthIndicator(String storeType, String namespace, Connection connection, String streamName) {
        super("Aether health check failed");
        this.storeType = storeType;
        this.namespace = namespace;
        this.connection = connection;
        this.streamName = streamName;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        builder.withDetail("storeType", storeType).withDetail("namespace", namespace);
        if (connection == null) {
            builder.up();
            return;
        }
        Connection.Status status = connection.getStatus();
        builder.withDetail("connection", status.name());
        String url = connection.getConnectedUrl();
        if (url != null) {
            builder.withDetail("server", withoutUserInfo(url));
        }
        if (status != Connection.Status.CONNECTED) {
            builder.down();
            return;
        }
        if (streamName == null) {
            builder.up();
            return;
        }
        builder.withDetail("stream", streamName);
        JetStreamManagement jsm = connection.jetStreamManagement(
                JetStreamOptions.builder().requestTimeout(REQUEST_TIMEOUT).build());
        try {
            StreamInfo info = jsm.getStreamInfo(streamName);
            builder.up().withDetail("streamExists", true).withDetail("messages", info.getStreamState().getMsgCount());
        } catch (JetStreamApiException ex) {
            if (ex.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw ex;
            }
            builder.down().withDetail("streamExists", false);
        }
    }

    /** @return the connected URL as scheme, host and port: never the user, password or token in it */
    private static String withoutUserInfo(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }
}
