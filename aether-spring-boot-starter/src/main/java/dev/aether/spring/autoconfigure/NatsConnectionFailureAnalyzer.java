package dev.aether.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link NatsConnectionFailedException} at startup: which servers could not be reached,
 * refused the credentials or failed the TLS handshake, and which properties to check. Never shows a
 * secret.
 */
final class NatsConnectionFailureAnalyzer extends AbstractFailureAnalyzer<NatsConnectionFailedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NatsConnectionFailedException cause) {
        String action = switch (cause.reason()) {
            case CREDENTIALS -> "Check the credentials in aether.nats.username/password, aether.nats.token, "
                    + "aether.nats.credentials-file or aether.nats.nkey-seed.";
            case TLS -> "Check the TLS settings. The server's certificate must be trusted by "
                    + "aether.nats.tls.trust-store, or by the trust material of the SSL bundle named in "
                    + "aether.nats.tls.bundle (with only aether.nats.tls.enabled=true, by the JVM's default trust "
                    + "store). A server that verifies clients needs a client certificate in "
                    + "aether.nats.tls.key-store or in the bundle's key store. A server that requires TLS needs "
                    + "one of these settings.";
            case UNREACHABLE -> "Check that NATS runs at aether.nats.servers and is reachable, or set "
                    + "aether.nats.startup-mode=connect-later to start without it (health reports DOWN until "
                    + "it connects).";
        };
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
