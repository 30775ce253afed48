package dev.aether.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link NatsConnectionFailedException} at startup: which servers could not be reached or
 * refused the credentials, and which properties to check. Never shows a secret.
 */
final class NatsConnectionFailureAnalyzer extends AbstractFailureAnalyzer<NatsConnectionFailedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NatsConnectionFailedException cause) {
        String action = cause.isAuthentication()
                ? "Check the credentials in aether.nats.username/password, aether.nats.token, "
                        + "aether.nats.credentials-file or aether.nats.nkey-seed."
                : "Check that NATS runs at aether.nats.servers and is reachable, or set "
                        + "aether.nats.startup-mode=connect-later to start without it (health reports DOWN until "
                        + "it connects).";
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
