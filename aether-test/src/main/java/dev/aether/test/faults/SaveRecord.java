package dev.aether.test.faults;

import java.util.List;
import java.util.Objects;

/**
 * One save operation in a history, as a writer recorded it: a single event ({@code saveEvent}) or a batch
 * ({@code saveEvents}, all or none) of events at consecutive versions from {@code version} on.
 *
 * @param writer      the writer process
 * @param actorId     the actor (ids without tabs or line breaks)
 * @param basis       the latest version the writer read before choosing
 * @param version     the version it chose for the (first) event, above {@code basis}
 * @param eventIds    the ids of the events saved, unique in the run, in version order: the i-th at
 *                    {@code version + i}; one id for a single save, two or more for a batch
 * @param outcome     what the save came to, for every event of it
 * @param startMillis wall-clock time the save began
 * @param endMillis   wall-clock time it returned
 */
public record SaveRecord(String writer, String actorId, long basis, long version, List<String> eventIds,
                         Outcome outcome, long startMillis, long endMillis) {

    /** Validates the components and copies the ids. */
    public SaveRecord {
        Objects.requireNonNull(writer, "writer must not be null");
        Objects.requireNonNull(actorId, "actorId must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
        eventIds = List.copyOf(Objects.requireNonNull(eventIds, "eventIds must not be null"));
        if (eventIds.isEmpty()) {
            throw new IllegalArgumentException("eventIds must hold at least one id");
        }
        for (String id : eventIds) {
            if (id.isEmpty() || id.contains(",") || id.contains("\t")) {
                throw new IllegalArgumentException("eventIds must be non-empty and hold no comma or tab, was '" + id + "'");
            }
        }
    }

    /**
     * A single save.
     *
     * @return the record of a save of the one event {@code eventId} at {@code version}
     */
    public static SaveRecord single(String writer, String actorId, long basis, long version, String eventId,
                                    Outcome outcome, long startMillis, long endMillis) {
        return new SaveRecord(writer, actorId, basis, version, List.of(eventId), outcome, startMillis, endMillis);
    }

    /** @return whether this save was a batch of several events */
    public boolean batch() {
        return eventIds.size() > 1;
    }

    /** @return the id of the (first) event */
    public String eventId() {
        return eventIds.get(0);
    }

    /** @return the record as one tab-separated line (ids comma-separated), read back by {@link #parse(String)} */
    public String toLine() {
        return String.join("\t", writer, actorId, Long.toString(basis), Long.toString(version),
                String.join(",", eventIds), outcome.name(), Long.toString(startMillis), Long.toString(endMillis));
    }

    /**
     * @param line a line written by {@link #toLine()}
     * @return the record
     * @throws IllegalArgumentException if the line is not one
     */
    public static SaveRecord parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 8) {
            throw new IllegalArgumentException("not a save record (8 tab-separated fields): '" + line + "'");
        }
        return new SaveRecord(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), List.of(f[4].split(",", -1)),
                Outcome.valueOf(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
    }
}
