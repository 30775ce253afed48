package dev.aether;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a durable subscription gave up on: its handler failed
 * {@link SubscriptionOptions#maxDeliveries()} times. The subscription moved on; the event stays here
 * for an operator to inspect, replay or discard through {@link ParkedEvents}.
 *
 * @param id           identifies it among its subscription's parked events, to replay or discard it alone:
 *                     on JetStream its sequence in the parking stream; in memory a number from 1
 * @param subscription the durable name of the subscription, or the generated name of a non-durable one
 * @param namespace    the namespace the event was saved in
 * @param event        the event
 * @param position     the event's position in its store (for JetStream, the stream sequence of the
 *                     message holding it; the events of one batch share it)
 * @param deliveries   how many times the handler was called with it
 * @param failure      the last failure, as {@code exception class: message}
 * @param parkedAt     when it was parked
 */
public record ParkedEvent(long id, String subscription, String namespace, Event event, long position, int deliveries,
                          String failure, Instant parkedAt) {

    /** Validates the fields. */
    public ParkedEvent {
        if (id < 1) {
            throw new IllegalArgumentException("id must be at least 1, was " + id);
        }
        Objects.requireNonNull(subscription, "subscription must not be null");
        Namespace.requireValid(namespace);
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(failure, "failure must not be null");
        Objects.requireNonNull(parkedAt, "parkedAt must not be null");
        if (position < 1) {
            throw new IllegalArgumentException("position must be at least 1, was " + position);
        }
        if (deliveries < 1) {
            throw new IllegalArgumentException("deliveries must be at least 1, was " + deliveries);
        }
    }

    /**
     * @param failure an exception
     * @return its description as kept in {@link #failure()}: class name, colon, message
     */
    public static String describe(Throwable failure) {
        return failure.getClass().getName() + ": " + failure.getMessage();
    }
}
