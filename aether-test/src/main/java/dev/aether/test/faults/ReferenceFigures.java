package dev.aether.test.faults;

/**
 * What a plain jnats durable consumer on the same stream ({@link dev.aether.jetstream.ReferenceConsumer}) was
 * delivered in a fault run, set beside the subscriber group's handlings: it tells an event Aether's reader
 * lost from one the server's consumer never delivered, and a save the server acknowledged and stored and then
 * lost from one it never stored.
 *
 * @param neverDelivered             stored events the server never delivered to the reference consumer
 * @param neverHandledButDelivered   stored events the group never handled although the server delivered them to
 *                                   the reference consumer: Aether's reader is the suspect (must be 0)
 * @param neverHandledNorDelivered   stored events neither the group handled nor the reference consumer was
 *                                   delivered: both consumers skipped them on the server
 * @param acknowledgedSeenThenLost   acknowledged saves, single or batch, that the stream no longer holds, of which a
 *                                   consumer (the group or the reference) was delivered an event: the server stored
 *                                   them, then lost them
 */
public record ReferenceFigures(long neverDelivered, long neverHandledButDelivered, long neverHandledNorDelivered,
                               long acknowledgedSeenThenLost) {

    /** Validates the components. */
    public ReferenceFigures {
        if (neverDelivered < 0 || neverHandledButDelivered < 0 || neverHandledNorDelivered < 0
                || acknowledgedSeenThenLost < 0) {
            throw new IllegalArgumentException("figures must not be negative");
        }
    }

    /** @return the figures as aligned lines, in the style of {@link HistoryReport} */
    @Override
    public String toString() {
        return String.join("\n",
                "reference consumer (plain jnats)",
                "  events never delivered to it           " + neverDelivered,
                "  never handled, delivered to it (0)     " + neverHandledButDelivered,
                "  never handled nor delivered to it      " + neverHandledNorDelivered,
                "  acknowledged, delivered, then lost     " + acknowledgedSeenThenLost);
    }
}
