package dev.aether.jetstream;

import dev.aether.SubscriptionLag;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Optional;

/**
 * The lag of a subscription: the server's pending and acknowledgement-pending counts summed over the
 * consumers it reads, one consumer info request each, answered by each consumer's leader
 * ({@link LeaderConsumerInfo}).
 */
final class ConsumerLag {

    /** Logged under the subscriptions' name, the category operators configure. */
    private static final Logger LOG = System.getLogger(JetStreamEventSubscriptions.class.getName());

    private ConsumerLag() {
    }

    /**
     * @param subscription the subscription's name, for the log
     * @param readers      the readers of its consumers
     * @return the summed counts, empty (and logged) if a consumer could not be read
     */
    static Optional<SubscriptionLag> of(String subscription, Collection<ConsumerReader> readers) {
        SubscriptionLag lag = SubscriptionLag.NONE;
        try {
            for (ConsumerReader reader : readers) {
                Optional<ConsumerInfo> info = reader.readState();
                if (info.isEmpty()) {
                    LOG.log(Level.DEBUG, "Subscription '" + subscription + "': the consumer on "
                            + reader.stream.getStreamName() + " has no leader now; lag unknown");
                    return Optional.empty();
                }
                lag = lag.plus(new SubscriptionLag(info.get().getNumPending(), info.get().getNumAckPending()));
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Subscription '" + subscription + "': could not read its consumers' state; lag unknown", e);
            return Optional.empty();
        }
        return Optional.of(lag);
    }
}
