package dev.aether.upcast;

import dev.aether.Event;

/**
 * The schema version an event's data was written in: the metadata entry {@value #KEY}, a decimal
 * integer of at least 1, and {@value #DEFAULT} when the entry is absent. Aether never changes stored
 * events; {@link EventUpcaster}s bring old versions to today's shape on read.
 */
public final class SchemaVersion {

    /** The metadata key of the schema version. */
    public static final String KEY = "schemaVersion";
    /** The schema version of an event without the {@value #KEY} entry. */
    public static final int DEFAULT = 1;

    private SchemaVersion() {
    }

    /**
     * @param event an event
     * @return its schema version
     * @throws IllegalArgumentException naming the event when the entry is not an integer of at least 1
     */
    public static int of(Event event) {
        String value = event.metadata().get(KEY);
        if (value == null) {
            return DEFAULT;
        }
        try {
            int version = Integer.parseInt(value);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException ex) {
            // reported below with the event's id
        }
        throw new IllegalArgumentException("metadata['" + KEY + "'] of event " + event.id()
                + " must be an integer of at least 1, was '" + value + "'");
    }

    /**
     * @param builder an event builder
     * @param version the schema version the data is written in, at least 1
     * @return the builder, with the {@value #KEY} entry set
     */
    public static Event.Builder stamp(Event.Builder builder, int version) {
        return builder.metadata(KEY, Integer.toString(require(version)));
    }

    static int require(int version) {
        if (version < 1) {
            throw new IllegalArgumentException("schema version must be at least 1, was " + version);
        }
        return version;
    }
}
