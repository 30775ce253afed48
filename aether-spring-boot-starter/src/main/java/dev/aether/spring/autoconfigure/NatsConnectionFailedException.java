package dev.aether.spring.autoconfigure;

import dev.aether.AetherException;

/**
 * The NATS connection could not be opened at startup. The message names the servers without their
 * credentials and never contains a password, token or seed.
 */
public final class NatsConnectionFailedException extends AetherException {

    private final boolean authentication;

    /**
     * @param message        what failed, without secrets
     * @param cause          the client's exception, with its message redacted
     * @param authentication whether the server refused the credentials
     */
    public NatsConnectionFailedException(String message, Throwable cause, boolean authentication) {
        super(message, cause);
        this.authentication = authentication;
    }

    /** @return whether the server refused the credentials (rather than being unreachable) */
    public boolean isAuthentication() {
        return authentication;
    }
}
