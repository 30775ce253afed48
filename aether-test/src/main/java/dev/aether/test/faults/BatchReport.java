package dev.aether.test.faults;

/**
 * What a {@link HistoryChecker} found about the batches of a history ({@code saveEvents}: every event stored or
 * none). A batch counts as stored when the store holds every one of its events, by id.
 *
 * @param attempted          batches attempted
 * @param events             events in them
 * @param acknowledged       batches acknowledged ({@link Outcome#OK})
 * @param conflicts          batches refused with a version conflict
 * @param unavailable        batches that failed with nothing stored
 * @param outcomeUnknown     batches whose outcome the writer could not know
 * @param unknownAllStored   of those, how many the store holds whole
 * @param unknownNoneStored  of those, how many it holds no event of
 * @param acknowledgedLost   acknowledged batches of which the store lacks one event or more (must be 0)
 * @param partlyStored       batches, whatever their outcome, of which the store holds some events but not all: an
 *                           atomicity violation (must be 0)
 */
public record BatchReport(long attempted, long events, long acknowledged, long conflicts, long unavailable,
                          long outcomeUnknown, long unknownAllStored, long unknownNoneStored, long acknowledgedLost,
                          long partlyStored) {

    /** @return the sum of the figures that must be 0 */
    public long violations() {
        return acknowledgedLost + partlyStored;
    }
}
