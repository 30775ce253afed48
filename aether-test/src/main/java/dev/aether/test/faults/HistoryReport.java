package dev.aether.test.faults;

/**
 * What a {@link HistoryChecker} found in one history. The {@code must be 0} figures are Aether's promises;
 * {@link #violations()} counts them together.
 *
 * @param saves                     saves attempted
 * @param acknowledged              saves acknowledged ({@link Outcome#OK})
 * @param conflicts                 saves refused with a version conflict
 * @param unavailable               saves that failed with nothing stored
 * @param outcomeUnknown            saves whose outcome the writer could not know
 * @param unknownFoundStored        of those, how many the store holds
 * @param unknownFoundMissing       of those, how many it does not
 * @param acknowledgedLost          acknowledged saves the store does not hold (must be 0)
 * @param refusedFoundStored        saves refused or failed with nothing stored that the store holds nevertheless (must be 0)
 * @param sameVersionBothAcknowledged versions of an actor acknowledged to two different events (must be 0)
 * @param storedOutOfVersionOrder   places where an actor's stored versions do not increase: two saves of
 *                                  different versions from the same read both landed; nats-server before 2.9.21
 *                                  allows this on replicated streams (nats-server#4320), later versions must give 0
 * @param eventsStored              events the store holds at the end
 * @param neverHandled              stored events no member of the subscriber group handled (must be 0)
 * @param handledOutOfOrder         first handlings of an event after its member first handled an event of the same
 *                                  actor stored after it, the event handled by no other member (must be 0: per-actor
 *                                  order holds within one subscriber process)
 * @param handledOutOfOrderAcrossMembers the same, for events another member of the group handled too: the server
 *                                  redelivered an event first delivered to one member to another, which had moved
 *                                  on; members sharing a durable name may interleave one actor (reported)
 * @param duplicatesHandled         handlings of an event beyond its first in the group (at-least-once delivery)
 */
public record HistoryReport(long saves, long acknowledged, long conflicts, long unavailable, long outcomeUnknown,
                            long unknownFoundStored, long unknownFoundMissing, long acknowledgedLost,
                            long refusedFoundStored, long sameVersionBothAcknowledged, long storedOutOfVersionOrder,
                            long eventsStored, long neverHandled, long handledOutOfOrder,
                            long handledOutOfOrderAcrossMembers, long duplicatesHandled) {

    /**
     * @return the sum of the figures that must be 0, {@link #storedOutOfVersionOrder()} and
     *         {@link #handledOutOfOrderAcrossMembers()} excepted
     */
    public long violations() {
        return acknowledgedLost + refusedFoundStored + sameVersionBothAcknowledged + neverHandled + handledOutOfOrder;
    }

    /** @return the figures as an aligned table, one per line */
    @Override
    public String toString() {
        return String.join("\n",
                "saves attempted                          " + saves,
                "  acknowledged                           " + acknowledged,
                "  version conflict                       " + conflicts,
                "  unavailable, nothing stored            " + unavailable,
                "  outcome unknown                        " + outcomeUnknown,
                "    found stored                         " + unknownFoundStored,
                "    found not stored                     " + unknownFoundMissing,
                "acknowledged and lost (must be 0)        " + acknowledgedLost,
                "refused but stored (must be 0)           " + refusedFoundStored,
                "same version acknowledged twice (0)      " + sameVersionBothAcknowledged,
                "stored versions not increasing (#4320)   " + storedOutOfVersionOrder,
                "events stored                            " + eventsStored,
                "events never handled (must be 0)         " + neverHandled,
                "handled out of order in a member (0)     " + handledOutOfOrder,
                "  out of order, handled by two members   " + handledOutOfOrderAcrossMembers,
                "duplicates handled                       " + duplicatesHandled);
    }
}
