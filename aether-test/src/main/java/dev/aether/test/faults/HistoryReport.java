package dev.aether.test.faults;

import java.util.Objects;

/**
 * What a {@link HistoryChecker} found in one history. The {@code must be 0} figures are Aether's promises;
 * {@link #violations()} counts them together.
 *
 * @param saves                     single saves attempted ({@code saveEvent}; batches are in {@code batches})
 * @param acknowledged              single saves acknowledged ({@link Outcome#OK})
 * @param conflicts                 single saves refused with a version conflict
 * @param unavailable               single saves that failed with nothing stored
 * @param outcomeUnknown            single saves whose outcome the writer could not know
 * @param unknownFoundStored        of those, how many the store holds
 * @param unknownFoundMissing       of those, how many it does not
 * @param acknowledgedLost          acknowledged single saves the store does not hold (must be 0)
 * @param refusedFoundStored        saves, single or batch, refused or failed with nothing stored, of which the store
 *                                  holds an event nevertheless, on actors whose stored versions increase (must be 0)
 * @param refusedFoundStoredRaced   the same on actors whose stored versions do not increase (see
 *                                  {@code storedOutOfVersionOrder}): a save stored next to an overlapping one from the
 *                                  same read, whose lost acknowledgement was then settled against the other one's
 *                                  versions; nats-server#4320 allows it before 2.9.21, later versions must give 0
 * @param sameVersionBothAcknowledged versions of an actor acknowledged to two different events, by single saves or
 *                                  batches, two of whose saves began at that same version (must be 0: the store's
 *                                  message id, actor and first version, lets the server store only one)
 * @param overlappingBothAcknowledged versions of an actor acknowledged to two different events whose saves began at
 *                                  different versions (a batch overlapping another save from the same read): only
 *                                  the expected-sequence check prevents it, so nats-server before 2.9.21 allows it
 *                                  on replicated streams (nats-server#4320), later versions must give 0
 * @param storedOutOfVersionOrder   places where an actor's stored versions do not increase: two saves of
 *                                  different versions from the same read both landed; nats-server before 2.9.21
 *                                  allows this on replicated streams (nats-server#4320), later versions must give 0
 * @param eventsStored              events the store holds at the end
 * @param neverHandled              stored events no member of the subscriber group handled (must be 0)
 * @param handledOutOfOrder         first handlings of an event after its member first handled an event of the same
 *                                  actor stored after it, the event handled by no other member (must be 0: per-actor
 *                                  order holds within one subscriber process)
 * @param handledOutOfOrderForked  the same on actors whose stored chain of expected sequences forks: two saves from
 *                                  one read both stored (nats-server#4320, before 2.9.21), so the headers that give an
 *                                  actor's order contradict the stream; later versions must give 0
 * @param handledOutOfOrderAcrossMembers the same, for events another member of the group handled too: the server
 *                                  redelivered an event first delivered to one member to another, which had moved
 *                                  on; members sharing a durable name may interleave one actor (reported)
 * @param duplicatesHandled         handlings of an event beyond its first in the group (at-least-once delivery)
 * @param batches                   the batches' figures ({@code saveEvents}, all or none)
 */
public record HistoryReport(long saves, long acknowledged, long conflicts, long unavailable, long outcomeUnknown,
                            long unknownFoundStored, long unknownFoundMissing, long acknowledgedLost,
                            long refusedFoundStored, long refusedFoundStoredRaced, long sameVersionBothAcknowledged, long overlappingBothAcknowledged,
                            long storedOutOfVersionOrder,
                            long eventsStored, long neverHandled, long handledOutOfOrder, long handledOutOfOrderForked,
                            long handledOutOfOrderAcrossMembers, long duplicatesHandled, BatchReport batches) {

    /** Validates the components. */
    public HistoryReport {
        Objects.requireNonNull(batches, "batches must not be null");
    }

    /**
     * @return the sum of the figures that must be 0, the batches' included; the figures nats-server#4320 allows
     *         ({@link #refusedFoundStoredRaced()}, {@link #overlappingBothAcknowledged()},
     *         {@link #storedOutOfVersionOrder()}, {@link #handledOutOfOrderForked()}) and
     *         {@link #handledOutOfOrderAcrossMembers()} excepted
     */
    public long violations() {
        return acknowledgedLost + refusedFoundStored + sameVersionBothAcknowledged + neverHandled + handledOutOfOrder
                + batches.violations();
    }

    /** @return the figures as an aligned table, one per line */
    @Override
    public String toString() {
        return String.join("\n",
                "single saves attempted                   " + saves,
                "  acknowledged                           " + acknowledged,
                "  version conflict                       " + conflicts,
                "  unavailable, nothing stored            " + unavailable,
                "  outcome unknown                        " + outcomeUnknown,
                "    found stored                         " + unknownFoundStored,
                "    found not stored                     " + unknownFoundMissing,
                "  acknowledged and lost (must be 0)      " + acknowledgedLost,
                "batches attempted (events)               " + batches.attempted() + " (" + batches.events() + ")",
                "  acknowledged                           " + batches.acknowledged(),
                "  version conflict                       " + batches.conflicts(),
                "  unavailable, nothing stored            " + batches.unavailable(),
                "  outcome unknown                        " + batches.outcomeUnknown(),
                "    found wholly stored                  " + batches.unknownAllStored(),
                "    found not stored                     " + batches.unknownNoneStored(),
                "  acknowledged and partly/wholly lost (0) " + batches.acknowledgedLost(),
                "  partly stored (must be 0)              " + batches.partlyStored(),
                "refused but stored (must be 0)           " + refusedFoundStored,
                "  on actors hit by #4320                 " + refusedFoundStoredRaced,
                "same version acknowledged twice (0)      " + sameVersionBothAcknowledged,
                "  overlapping saves, both acked (#4320)  " + overlappingBothAcknowledged,
                "stored versions not increasing (#4320)   " + storedOutOfVersionOrder,
                "events stored                            " + eventsStored,
                "events never handled (must be 0)         " + neverHandled,
                "handled out of order in a member (0)     " + handledOutOfOrder,
                "  on forked actors (#4320)               " + handledOutOfOrderForked,
                "  out of order, handled by two members   " + handledOutOfOrderAcrossMembers,
                "duplicates handled                       " + duplicatesHandled);
    }
}
