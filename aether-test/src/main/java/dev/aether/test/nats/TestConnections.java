package dev.aether.test.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections an extension hands to tests: made with options suited to servers that tests stop,
 * kill and restart (reconnect for ever, quickly, quietly), and all closed when the extension removes
 * its servers. Thread-safe.
 */
final class TestConnections {

    private final List<Connection> open = new ArrayList<>();

    /**
     * @param url one or more server URLs, comma-separated
     * @return a new connection, closed by {@link #closeAll()}
     */
    synchronized Connection connect(String url) {
        Options options = Options.builder()
                .server(url)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100))
                .connectionTimeout(Duration.ofSeconds(5))
                // Tests stop and kill servers on purpose: keep jnats from logging every reconnect attempt.
                .errorListener(new ErrorListener() { })
                .build();
        try {
            Connection connection = Nats.connect(options);
            open.add(connection);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not connect to " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while connecting to " + url, e);
        }
    }

    /** Closes every connection made here. */
    synchronized void closeAll() {
        for (Connection connection : open) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        open.clear();
    }
}
