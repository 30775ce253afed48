package dev.aether.test.faults;

/**
 * What the server delivered in a fault run, set beside the subscriber group's handlings: to the group's own readers
 * ({@link dev.aether.jetstream.GroupDeliveries}), which tells an event Aether's reader lost from one the group's
 * consumer never delivered; and to a plain jnats durable consumer on the same stream
 * ({@link dev.aether.jetstream.ReferenceConsumer}), which tells a save the server acknowledged and stored and then
 * lost from one it never stored. Consumers on a server whose replicas disagree can each skip other events, so
 * the reference consumer does not judge the group's.
 *
 * @param neverHandledDeliveredToGroup stored events the group never handled although a member's reader was
 *                                   delivered their message (the stored body at its stored sequence): Aether's
 *                                   reader lost them (must be 0)
 * @param neverDelivered             stored events the server never delivered to the reference consumer
 * @param neverHandledButDelivered   stored events the group never handled that the server delivered to the
 *                                   reference consumer
 * @param neverHandledNorDelivered   stored events neither the group handled nor the reference consumer was
 *                                   delivered: both consumers skipped them on the server
 * @param acknowledgedSeenThenLost   acknowledged saves, single or batch, that the stream no longer holds, of which a
 *                                   consumer (the group or the reference) was delivered an event: the server stored
 *                                   them, then lost them
 * @param sameVersionAfterLoss       versions acknowledged to two events of which one is such a lost event: the other
 *                                   save was rightly accepted once the server had lost the first
 */
public record ReferenceFigures(long neverHandledDeliveredToGroup, long neverDelivered, long neverHandledButDelivered,
                               long neverHandledNorDelivered, long acknowledgedSeenThenLost, long sameVersionAfterLoss) {

    /** Validates the components. */
    public ReferenceFigures {
        if (neverHandledDeliveredToGroup < 0 || neverDelivered < 0 || neverHandledButDelivered < 0 || neverHandledNorDelivered < 0
                || acknowledgedSeenThenLost < 0 || sameVersionAfterLoss < 0) {
            throw new IllegalArgumentException("figures must not be negative");
        }
    }

    /** @return the figures as aligned lines, in the style of {@link HistoryReport} */
    @Override
    public String toString() {
        return String.join("\n",
                "never handled, delivered to the group (0) " + neverHandledDeliveredToGroup,
                "reference consumer (plain jnats)",
                "  events never delivered to it           " + neverDelivered,
                "  never handled, delivered to it         " + neverHandledButDelivered,
                "  never handled nor delivered to it      " + neverHandledNorDelivered,
                "  acknowledged, delivered, then lost     " + acknowledgedSeenThenLost,
                "    same version then acknowledged again " + sameVersionAfterLoss);
    }
}
