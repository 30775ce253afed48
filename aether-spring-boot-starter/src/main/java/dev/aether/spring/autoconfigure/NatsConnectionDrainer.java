package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.aether.spring.AetherSubscriberRegistry;
import io.nats.client.Connection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the starter's NATS connection on shutdown, after the {@code @AetherSubscriber} subscriptions
 * have stopped (a lower phase than {@link AetherSubscriberRegistry#PHASE}), waiting at most
 * {@code aether.nats.drain-timeout}. Draining lets in-flight messages finish, then closes the connection.
 */
final class NatsConnectionDrainer implements SmartLifecycle {

    /** The lifecycle phase: below the subscriber registry's, so it stops after it. */
    static final int PHASE = AetherSubscriberRegistry.PHASE - 100;

    private static final Log logger = LogFactory.getLog(NatsConnectionDrainer.class);

    private final Connection connection;
    private final Duration timeout;
    private volatile boolean running;

    NatsConnectionDrainer(Connection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (connection.getStatus() == Connection.Status.CLOSED) {
            return;
        }
        try {
            CompletableFuture<Boolean> drained = connection.drain(timeout);
            if (!Boolean.TRUE.equals(drained.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS))) {
                logger.warn("The NATS connection did not drain within " + timeout + " (aether.nats.drain-timeout)");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException | RuntimeException ex) {
            logger.warn("Draining the NATS connection failed: " + ex.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
