package dev.aether.upcast;

import dev.aether.AetherException;

/**
 * No {@link EventUpcaster} takes an event type from one schema version to the next, although later
 * versions of that type have upcasters. Thrown when an {@link UpcasterChain} is built, when the gap can
 * be seen from the upcasters alone, and otherwise when an event at the missing version is read.
 */
public class MissingUpcasterException extends AetherException {

    private final String eventType;
    private final int fromVersion;

    /**
     * @param eventType   the event type
     * @param fromVersion the schema version no upcaster reads
     * @param context     where the gap was found, for the message
     */
    public MissingUpcasterException(String eventType, int fromVersion, String context) {
        super("No upcaster takes " + eventType + " from schema version " + fromVersion + " to "
                + (fromVersion + 1) + " (" + context + ")");
        this.eventType = eventType;
        this.fromVersion = fromVersion;
    }

    /** @return the event type */
    public String eventType() {
        return eventType;
    }

    /** @return the schema version no upcaster reads */
    public int fromVersion() {
        return fromVersion;
    }

    /** @return the schema version it should have reached */
    public int toVersion() {
        return fromVersion + 1;
    }
}
