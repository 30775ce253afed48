package dev.aether.spring.autoconfigure;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLException;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.ErrorListenerLoggerImpl;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ssl.SslBundle;

/**
 * Opens the starter's NATS connection with options that suit an event store: reconnect for ever
 * (by default), a short ping interval, and no reconnect buffer, so that a save during an outage fails
 * at once instead of being sent later behind the caller's back.
 */
final class NatsConnectionFactory {

    private static final Log logger = LogFactory.getLog(NatsConnectionFactory.class);

    private final AetherProperties.Nats properties;
    private final NatsConnectionDetails details;
    private final List<NatsOptionsCustomizer> customizers;
    /** The first exceptions jnats reported to the error listener, the reasons behind a failed first connection. */
    private final List<Exception> clientErrors = new CopyOnWriteArrayList<>();

    NatsConnectionFactory(AetherProperties.Nats properties, NatsConnectionDetails details,
                          List<NatsOptionsCustomizer> customizers) {
        this.properties = properties;
        this.details = details;
        this.customizers = List.copyOf(customizers);
    }

    /** @return the client options; secrets go only into the options, never into a message */
    Options options() {
        return options(authHandler(), (connection, event) -> {
        });
    }

    private Options options(AuthHandler authHandler, ConnectionListener extraListener) {
        Options.Builder builder = Options.builder()
                .servers(details.getServers().toArray(String[]::new))
                .connectionName(properties.connectionName())
                .connectionTimeout(properties.connectTimeout())
                .pingInterval(properties.pingInterval())
                .maxReconnects(properties.reconnect().maxAttempts())
                .reconnectWait(properties.reconnect().delay())
                .reconnectBufferSize(0)
                .errorListener(new ErrorRecordingListener());
        if (details.getUsername() != null) {
            builder.userInfo(details.getUsername(), details.getPassword() == null ? "" : details.getPassword());
        }
        if (details.getToken() != null) {
            builder.token(details.getToken().toCharArray());
        }
        if (authHandler != null) {
            builder.authHandler(authHandler);
        }
        configureTls(builder);
        customizers.forEach(customizer -> customizer.customize(builder));
        Options customized = builder.build();
        ConnectionListener own = customized.getConnectionListener();
        return new Options.Builder(customized)
                .connectionListener(loggingListener(extraListener, own == null ? (connection, event) -> {
                } : own))
                .build();
    }

    /**
     * Connects as {@code aether.nats.startup-mode} says.
     *
     * @return the connection; with {@code connect-later} possibly still trying to connect
     * @throws NatsConnectionFailedException if the connection fails in {@code fail} mode
     */
    Connection connect() {
        // A wrong credentials file or seed is a configuration error, not a connection failure: it
        // fails startup in either startup mode, naming its property.
        AuthHandler authHandler = authHandler();
        try {
            if (properties.startupMode() == AetherProperties.StartupMode.CONNECT_LATER) {
                return connectInBackground(authHandler);
            }
            return Nats.connect(options(authHandler, (connection, event) -> {
            }));
        } catch (IOException | RuntimeException ex) {
            throw failure(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw failure(ex);
        }
    }

    /**
     * Starts connecting in the background, reconnecting until it succeeds. jnats hands the connection
     * to the listener with its first event (connected, or disconnected after a failed attempt).
     */
    private Connection connectInBackground(AuthHandler authHandler) throws InterruptedException, IOException {
        CompletableFuture<Connection> first = new CompletableFuture<>();
        Nats.connectAsynchronously(options(authHandler, (connection, event) -> first.complete(connection)), true);
        Duration wait = properties.connectTimeout().multipliedBy(2).plusSeconds(5);
        try {
            return first.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IOException("the client reported no connection attempt within " + wait, ex);
        }
    }

    private NatsConnectionFailedException failure(Exception ex) {
        List<String> servers = details.getServers().stream().map(NatsUrls::redact).toList();
        Throwable detail = reasonBehind(ex);
        String reason = redact(String.valueOf(ex.getMessage())
                + (detail == null ? "" : " (" + detail.getClass().getSimpleName() + ": " + detail.getMessage() + ")"));
        String lowerCase = reason.toLowerCase(Locale.ROOT);
        NatsConnectionFailedException.Reason kind;
        String message;
        if (lowerCase.contains("authorization") || lowerCase.contains("authentication")) {
            kind = NatsConnectionFailedException.Reason.CREDENTIALS;
            message = "NATS at " + servers + " (aether.nats.servers) refused the credentials: " + reason
                    + ". Check aether.nats.username/password, token, credentials-file or nkey-seed";
        }
        else if (isTls(ex) || isTls(detail) || (tlsConfigured() && droppedAfterConnecting(detail))) {
            kind = NatsConnectionFailedException.Reason.TLS;
            message = "The TLS connection to NATS at " + servers + " (aether.nats.servers) failed: " + reason
                    + ". Check aether.nats.tls.*";
        }
        else {
            kind = NatsConnectionFailedException.Reason.UNREACHABLE;
            message = "Could not connect to NATS at " + servers + " (aether.nats.servers): " + reason;
        }
        IOException redactedCause = new IOException(ex.getClass().getName() + ": " + reason);
        redactedCause.setStackTrace(ex.getStackTrace());
        return new NatsConnectionFailedException(message, redactedCause, kind);
    }

    /**
     * jnats throws only "Unable to connect to NATS servers" and hands the real reason (a TLS handshake
     * failure, say) to the error listener; other client exceptions ("Unable to create SSL context")
     * keep it in their cause.
     *
     * @return the exception that explains {@code failure}, a TLS one first; or null
     */
    private Throwable reasonBehind(Exception failure) {
        if (String.valueOf(failure.getMessage()).startsWith("Unable to connect")) {
            return clientErrors.stream().filter(NatsConnectionFactory::isTls).findFirst()
                    .orElse(clientErrors.isEmpty() ? null : clientErrors.get(0));
        }
        return failure.getCause();
    }

    /**
     * With TLS 1.3 a server that rejects the client's certificate (or its lack of one) may close the
     * connection only after the client finished its side of the handshake: the client then sees a
     * broken pipe or a reset rather than a handshake failure.
     */
    private static boolean droppedAfterConnecting(Throwable failure) {
        return failure instanceof SocketException && !(failure instanceof ConnectException);
    }

    private boolean tlsConfigured() {
        AetherProperties.Tls tls = properties.tls();
        return tls.enabled() || tls.bundle() != null || tls.trustStore() != null || tls.keyStore() != null
                || details.getServers().stream().anyMatch(url -> url.startsWith("tls://") || url.startsWith("wss://"));
    }

    /** A TLS failure: a handshake or key/trust store error, or a server that requires TLS. */
    private static boolean isTls(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof GeneralSecurityException
                    || String.valueOf(t.getMessage()).contains("SSL required")) {
                return true;
            }
        }
        return false;
    }

    /** Removes whatever a client message could echo back: URL user info and the configured secrets. */
    private String redact(String text) {
        String result = text;
        for (String server : details.getServers()) {
            result = result.replace(server, NatsUrls.redact(server));
        }
        AetherProperties.Tls tls = properties.tls();
        for (String secret : new String[] {details.getPassword(), details.getToken(), properties.nkeySeed(),
                tls.trustStorePassword(), tls.keyStorePassword()}) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, "******");
            }
        }
        return result;
    }

    private void configureTls(Options.Builder builder) {
        SslBundle bundle = details.getSslBundle();
        AetherProperties.Tls tls = properties.tls();
        if (bundle != null) {
            builder.sslContext(bundle.createSslContext());
            return;
        }
        if (tls.trustStore() != null) {
            builder.truststorePath(tls.trustStore());
            if (tls.trustStorePassword() != null) {
                builder.truststorePassword(tls.trustStorePassword().toCharArray());
            }
        }
        if (tls.keyStore() != null) {
            builder.keystorePath(tls.keyStore());
            if (tls.keyStorePassword() != null) {
                builder.keystorePassword(tls.keyStorePassword().toCharArray());
            }
        }
        if (tls.enabled() && tls.trustStore() == null && tls.keyStore() == null) {
            try {
                builder.secure();
            } catch (GeneralSecurityException ex) {
                throw new IllegalStateException("aether.nats.tls.enabled is true but the JVM has no default TLS context", ex);
            }
        }
    }

    /** jnats' logging error listener that also keeps the first few exceptions in {@link #clientErrors}. */
    private final class ErrorRecordingListener extends ErrorListenerLoggerImpl {
        @Override
        public void exceptionOccurred(Connection connection, Exception exception) {
            if (clientErrors.size() < 10) {
                clientErrors.add(exception instanceof ExecutionException && exception.getCause() instanceof Exception cause
                        ? cause : exception);
            }
            super.exceptionOccurred(connection, exception);
        }
    }

    /**
     * @return the handler for {@code aether.nats.credentials-file} or {@code nkey-seed}, or null
     * @throws IllegalArgumentException naming the property (never the file's content or the seed) if
     *                                  the file cannot be read or holds no user JWT and seed, or the
     *                                  seed is invalid
     */
    private AuthHandler authHandler() {
        if (properties.credentialsFile() != null) {
            checkCredentialsFile(properties.credentialsFile());
            // jnats reads the file at every connect, so a renewed file is used after a reconnect.
            return Nats.credentials(properties.credentialsFile());
        }
        if (properties.nkeySeed() != null) {
            return nkeyAuth(properties.nkeySeed());
        }
        return null;
    }

    private static void checkCredentialsFile(String file) {
        byte[] content;
        try {
            content = Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException ex) {
            throw new IllegalArgumentException("aether.nats.credentials-file cannot be read ("
                    + ex.getClass().getSimpleName() + ")");
        }
        boolean valid;
        try {
            AuthHandler handler = Nats.staticCredentials(content);
            char[] jwt = handler.getJWT();
            char[] id = handler.getID();
            valid = jwt != null && jwt.length > 0 && id != null && id.length > 0;
        } catch (RuntimeException ex) {
            valid = false;
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        if (!valid) {
            throw new IllegalArgumentException("aether.nats.credentials-file is not a NATS credentials file: it needs "
                    + "a user JWT and its NKey seed, as written by 'nsc generate creds'");
        }
    }

    private static AuthHandler nkeyAuth(String seed) {
        NKey nkey;
        try {
            nkey = NKey.fromSeed(seed.toCharArray());
            nkey.getPublicKey();
        } catch (GeneralSecurityException | IOException | RuntimeException ex) {
            throw new IllegalArgumentException("aether.nats.nkey-seed is not a valid NKey seed");
        }
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return nkey.sign(nonce);
                } catch (GeneralSecurityException | IOException ex) {
                    throw new IllegalStateException("Signing the NATS nonce with aether.nats.nkey-seed failed", ex);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return nkey.getPublicKey();
                } catch (GeneralSecurityException | IOException ex) {
                    throw new IllegalStateException("aether.nats.nkey-seed has no public key", ex);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }

    /**
     * Logs state changes once each (not every failed reconnect attempt), then calls the extra listener
     * and the application's.
     */
    private static ConnectionListener loggingListener(ConnectionListener extraListener,
                                                      ConnectionListener applicationListener) {
        AtomicBoolean connected = new AtomicBoolean();
        return (connection, event) -> {
            String url = NatsUrls.redact(connection.getConnectedUrl());
            switch (event) {
                case DISCONNECTED -> {
                    if (connected.compareAndSet(true, false)) {
                        logger.warn("NATS connection lost; reconnecting");
                    }
                }
                case RECONNECTED, CONNECTED -> {
                    connected.set(true);
                    logger.info("NATS connection " + event.name().toLowerCase(Locale.ROOT)
                            + (url == null ? "" : " to " + url));
                }
                case CLOSED -> logger.info("NATS connection closed");
                default -> {
                }
            }
            extraListener.connectionEvent(connection, event);
            applicationListener.connectionEvent(connection, event);
        };
    }
}
