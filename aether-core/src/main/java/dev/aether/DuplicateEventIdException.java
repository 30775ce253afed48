package dev.aether;

/**
 * A save was rejected because the actor already holds an event with the same id at another version:
 * typically a retried command that computed a new version for an event it had already saved. Nothing
 * was stored. Unlike a {@link VersionConflictException}, reloading and saving again with a higher
 * version cannot succeed: the event is already there.
 */
public class DuplicateEventIdException extends AetherException {

    private static final long serialVersionUID = 1L;

    private final String actorId;
    private final String eventId;
    private final long storedVersion;
    private final long attemptedVersion;

    /**
     * @param actorId          the actor
     * @param eventId          the event id the actor already holds
     * @param storedVersion    the version that holds it
     * @param attemptedVersion the version the caller tried to save it at
     */
    public DuplicateEventIdException(String actorId, String eventId, long storedVersion, long attemptedVersion) {
        super("Actor '" + actorId + "' already holds event " + eventId + " at version " + storedVersion
                + "; it was not saved again at version " + attemptedVersion);
        this.actorId = actorId;
        this.eventId = eventId;
        this.storedVersion = storedVersion;
        this.attemptedVersion = attemptedVersion;
    }

    /** @return the actor */
    public String actorId() {
        return actorId;
    }

    /** @return the duplicated event id */
    public String eventId() {
        return eventId;
    }

    /** @return the version at which the actor holds the event */
    public long storedVersion() {
        return storedVersion;
    }

    /** @return the version the caller tried to save the event at */
    public long attemptedVersion() {
        return attemptedVersion;
    }
}
