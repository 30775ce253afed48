package dev.aether;

/**
 * A save was rejected because its version was not above the actor's latest version. Nothing was
 * stored. Aether never retries on the caller's behalf: reload the actor, decide again, and save
 * with {@code currentVersion() + 1} if the decision still holds.
 */
public class VersionConflictException extends AetherException {

    private static final long serialVersionUID = 1L;

    private final String actorId;
    private final long attemptedVersion;
    private final long currentVersion;

    /**
     * @param actorId          the actor whose stream refused the event
     * @param attemptedVersion the version the caller tried to save
     * @param currentVersion   the actor's latest version when the save was refused
     */
    public VersionConflictException(String actorId, long attemptedVersion, long currentVersion) {
        super("Version conflict for actor '" + actorId + "': attempted version " + attemptedVersion
                + " is not above the current version " + currentVersion);
        this.actorId = actorId;
        this.attemptedVersion = attemptedVersion;
        this.currentVersion = currentVersion;
    }

    /** @return the actor whose stream refused the event */
    public String actorId() {
        return actorId;
    }

    /** @return the version the caller tried to save */
    public long attemptedVersion() {
        return attemptedVersion;
    }

    /** @return the actor's latest version when the save was refused; never below {@link #attemptedVersion()} */
    public long currentVersion() {
        return currentVersion;
    }
}
