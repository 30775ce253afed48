package dev.aether.test.faults;

import dev.aether.LagAware;
import dev.aether.Subscription;
import dev.aether.SubscriptionLag;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples, every half second, what an application's health check and lag gauge would show: whether the
 * connection is connected and the stream answers within a second (as the starter's {@code aether} health
 * component checks), and the subscriber group's pending events.
 */
final class ApplicationMonitor {

    private static final Duration EVERY = Duration.ofMillis(500);

    private final List<FaultWindow.Sample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "aether-faults-monitor");
        thread.setDaemon(true);
        return thread;
    });

    ApplicationMonitor(Connection connection, String stream, Subscription subscription) {
        JetStreamManagement management;
        try {
            management = connection.jetStreamManagement(
                    JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(1)).build());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not use JetStream to monitor " + stream, e);
        }
        sampler.scheduleAtFixedRate(() -> {
            boolean up;
            try {
                up = connection.getStatus() == Connection.Status.CONNECTED && management.getStreamInfo(stream) != null;
            } catch (Exception e) {
                up = false;
            }
            Optional<SubscriptionLag> lag = subscription instanceof LagAware aware ? aware.lag() : Optional.empty();
            samples.add(new FaultWindow.Sample(System.currentTimeMillis(), up, lag.map(SubscriptionLag::pending).orElse(-1L)));
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keeps sampling for {@code tail}, then stops. */
    void stopAfter(Duration tail) {
        sampler.schedule(sampler::shutdown, tail.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the samples so far */
    List<FaultWindow.Sample> samples() {
        return List.copyOf(samples);
    }
}
