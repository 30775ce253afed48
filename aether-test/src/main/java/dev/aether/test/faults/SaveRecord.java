package dev.aether.test.faults;

import java.util.Objects;

/**
 * One save in a history, as a writer recorded it.
 *
 * @param writer      the writer process
 * @param actorId     the actor (ids without tabs or line breaks)
 * @param basis       the latest version the writer read before choosing
 * @param version     the version it chose, above {@code basis}
 * @param eventId     the event's id, unique in the run
 * @param outcome     what the save came to
 * @param startMillis wall-clock time the save began
 * @param endMillis   wall-clock time it returned
 */
public record SaveRecord(String writer, String actorId, long basis, long version, String eventId, Outcome outcome,
                         long startMillis, long endMillis) {

    /** Validates the components. */
    public SaveRecord {
        Objects.requireNonNull(writer, "writer must not be null");
        Objects.requireNonNull(actorId, "actorId must not be null");
        Objects.requireNonNull(eventId, "eventId must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
    }

    /** @return the record as one tab-separated line, read back by {@link #parse(String)} */
    public String toLine() {
        return String.join("\t", writer, actorId, Long.toString(basis), Long.toString(version), eventId, outcome.name(),
                Long.toString(startMillis), Long.toString(endMillis));
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
        return new SaveRecord(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), f[4], Outcome.valueOf(f[5]),
                Long.parseLong(f[6]), Long.parseLong(f[7]));
    }
}
