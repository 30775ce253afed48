package dev.aether;

/**
 * The store could not be reached or did not answer in time; the underlying I/O or server failure
 * is the cause. When {@link #outcomeUnknown()} is true the write may or may not have been stored:
 * re-read the actor's latest version before deciding what to do next.
 */
public class StoreUnavailableException extends AetherException {

    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    /**
     * A failure after which nothing was written.
     *
     * @param message what could not be done
     * @param cause   the underlying failure
     */
    public StoreUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param message        what could not be done
     * @param cause          the underlying failure
     * @param outcomeUnknown true when a write may have been stored although no acknowledgement arrived
     */
    public StoreUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
        super(outcomeUnknown ? message + " (outcome unknown: the event may have been stored; re-read before retrying)" : message,
                cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** @return true when a write may have been stored although it was not acknowledged */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
