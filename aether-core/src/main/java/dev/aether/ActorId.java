package dev.aether;

/**
 * The rule for actor ids: any non-blank, well-formed Unicode string of at most {@value #MAX_LENGTH}
 * characters. Dots, wildcards, spaces, control characters and unicode are all allowed; stores encode ids so that none can reach another
 * actor's stream.
 */
public final class ActorId {

    /** The longest actor id accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    private ActorId() {
    }

    /**
     * Checks an actor id.
     *
     * @param actorId the id
     * @return the same id
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it is blank, longer than {@value #MAX_LENGTH} characters, or holds an
     *                                  unpaired surrogate
     */
    public static String requireValid(String actorId) {
        if (actorId == null) {
            throw new NullPointerException("actorId must not be null");
        }
        if (actorId.isBlank()) {
            throw new IllegalArgumentException("actorId must not be blank");
        }
        if (actorId.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("actorId must be at most " + MAX_LENGTH + " characters, was "
                    + actorId.length());
        }
        return UnicodeText.requireWellFormed(actorId, "actorId");
    }
}
