package dev.aether;

/**
 * The server refused an operation because the connection's user lacks a permission (on NATS, a
 * subject permission of the user). Nothing was written; retrying will not help until an operator
 * grants the permission. {@link #violation()} is the server's own words, naming the subject.
 */
public class PermissionDeniedException extends AetherException {

    private static final long serialVersionUID = 1L;

    private final String violation;

    /**
     * @param message   what could not be done
     * @param violation the server's report, such as {@code Permissions Violation for Publish to "..."}
     * @param cause     the failure the operation saw (often a timeout, as the server drops a refused request)
     */
    public PermissionDeniedException(String message, String violation, Throwable cause) {
        super(message + ": the server refused it (" + violation + "); grant the permission or use another user",
                cause);
        this.violation = violation;
    }

    /** @return the server's report of the refused permission */
    public String violation() {
        return violation;
    }
}
