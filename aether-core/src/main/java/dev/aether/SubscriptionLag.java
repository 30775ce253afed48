package dev.aether;

/**
 * How far a durable subscription is behind the store at one moment: events stored that its handler
 * has not finished with yet.
 *
 * @param pending        events stored and not yet handed to the subscriber
 * @param unacknowledged events handed to the subscriber and not yet acknowledged: being handled,
 *                       waiting for a retry, or queued behind an earlier event of the same actor
 */
public record SubscriptionLag(long pending, long unacknowledged) {

    /** A subscription that is not behind at all. */
    public static final SubscriptionLag NONE = new SubscriptionLag(0, 0);

    /** @throws IllegalArgumentException if a count is negative */
    public SubscriptionLag {
        if (pending < 0 || unacknowledged < 0) {
            throw new IllegalArgumentException("lag counts must not be negative, were pending " + pending
                    + " and unacknowledged " + unacknowledged);
        }
    }

    /** @return the events the handler has not finished with, {@code pending + unacknowledged} */
    public long total() {
        return pending + unacknowledged;
    }

    /**
     * @param other another lag, of another stream read by the same subscription
     * @return the sum of both
     */
    public SubscriptionLag plus(SubscriptionLag other) {
        return new SubscriptionLag(pending + other.pending, unacknowledged + other.unacknowledged);
    }
}
