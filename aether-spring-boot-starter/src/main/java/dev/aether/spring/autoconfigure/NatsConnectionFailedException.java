package dev.aether.spring.autoconfigure;

import dev.aether.AetherException;

/**
 * The NATS connection could not be opened at startup. The message names the servers without their
 * credentials and never contains a password, token or seed.
 */
public final class NatsConnectionFailedException extends AetherException {

    /** Why the connection failed, which decides the properties a user should check. */
    public enum Reason {
        /** No server could be reached. */
        UNREACHABLE,
        /** A server refused the credentials. */
        CREDENTIALS,
        /** The TLS set-up failed: an untrusted server certificate, a refused client certificate, TLS off. */
        TLS
    }

    private final Reason reason;

    /**
     * @param message what failed, without secrets
     * @param cause   the client's exception, with its message redacted
     * @param reason  why it failed
     */
    public NatsConnectionFailedException(String message, Throwable cause, Reason reason) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return why the connection failed */
    public Reason reason() {
        return reason;
    }

    /** @return whether the server refused the credentials (rather than being unreachable) */
    public boolean isAuthentication() {
        return reason == Reason.CREDENTIALS;
    }
}
