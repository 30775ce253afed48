package dev.aether;

/**
 * Root of every exception Aether throws on purpose. Bad arguments are the exception: they raise
 * {@link IllegalArgumentException} or {@link NullPointerException}, as the JDK does.
 */
public class AetherException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     */
    public AetherException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure, kept for the caller
     */
    public AetherException(String message, Throwable cause) {
        super(message, cause);
    }
}
