package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.aether.Namespace;
import dev.aether.SubscriptionOptions;
import dev.aether.jetstream.JetStreamNames;
import dev.aether.jetstream.SubjectLayout;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of Aether under 'aether.*'. A wrong value fails startup with a message that
 * names the property.
 *
 * @param namespace   The default namespace: the store saves into it and '@AetherSubscriber'
 *                    methods without a namespace listen to it
 * @param store       Which event store to run
 * @param nats        The NATS connection, used when 'aether.store.type' is 'jetstream'
 * @param jetstream   The JetStream stream settings, used when 'aether.store.type' is 'jetstream'
 * @param subscribers '@AetherSubscriber' methods: on/off and their retry defaults
 * @param observations Micrometer observations of saves and handled events
 */
@ConfigurationProperties("aether")
public record AetherProperties(@DefaultValue("default") String namespace, @DefaultValue Store store,
                               @DefaultValue Nats nats, @DefaultValue JetStream jetstream,
                               @DefaultValue Subscribers subscribers, @DefaultValue Observations observations) {

    /** Validates the namespace. */
    public AetherProperties {
        try {
            Namespace.requireValid(namespace);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new IllegalArgumentException("aether.namespace is invalid: " + ex.getMessage(), ex);
        }
    }

    /** The kinds of store the starter can run. */
    public enum StoreType {
        /** The in-memory store and bus: no external service, nothing survives a restart. */
        MEMORY,
        /** The JetStream store on NATS: durable, shared by every process on the same NATS. */
        JETSTREAM
    }

    /**
     * The event store.
     *
     * @param type Which store to run: 'memory' (default, no external service) or 'jetstream'
     */
    public record Store(@DefaultValue("memory") StoreType type) {
    }

    /** What the application does when NATS cannot be reached while it starts. */
    public enum StartupMode {
        /** Startup fails with a message naming the servers. */
        FAIL,
        /** The application starts, its health reports DOWN and the client keeps trying to connect. */
        CONNECT_LATER
    }

    /**
     * The NATS connection.
     *
     * @param servers        The NATS server URLs ('nats://host:4222'); the client picks one and fails over
     *                       to the others
     * @param connectionName The connection name the server shows in its monitoring
     * @param connectTimeout How long one connection attempt may take
     * @param pingInterval   How often the client pings the server; a short interval notices a dead server sooner
     * @param reconnect      The reconnect policy
     * @param drainTimeout   How long the connection may drain on shutdown, after the subscribers have stopped
     * @param startupMode    When NATS is unreachable at startup: 'fail' (default) fails startup;
     *                       'connect-later' starts with health DOWN and connects in the background
     * @param username       The user name for user/password authentication
     * @param password       The password for user/password authentication; never logged
     * @param token          The token for token authentication; never logged
     * @param credentialsFile Path of a NATS credentials file (JWT and NKey seed) for decentralized authentication
     * @param nkeySeed       An NKey seed ('SU...') for NKey authentication; never logged
     * @param tls            TLS settings
     */
    public record Nats(@DefaultValue("nats://localhost:4222") List<String> servers,
                       @DefaultValue("aether") String connectionName,
                       @DefaultValue("5s") Duration connectTimeout,
                       @DefaultValue("5s") Duration pingInterval,
                       @DefaultValue Reconnect reconnect,
                       @DefaultValue("10s") Duration drainTimeout,
                       @DefaultValue("fail") StartupMode startupMode,
                       String username, String password, String token, String credentialsFile, String nkeySeed,
                       @DefaultValue Tls tls) {

        /** Validates the servers and durations. */
        public Nats {
            if (servers == null || servers.isEmpty()) {
                throw new IllegalArgumentException("aether.nats.servers must name at least one NATS URL");
            }
            for (int i = 0; i < servers.size(); i++) {
                NatsUrls.requireValid(servers.get(i), "aether.nats.servers[" + i + "]");
            }
            servers = List.copyOf(servers);
            requirePositive(connectTimeout, "aether.nats.connect-timeout");
            requirePositive(pingInterval, "aether.nats.ping-interval");
            requirePositive(drainTimeout, "aether.nats.drain-timeout");
            if (password != null && username == null) {
                throw new IllegalArgumentException("aether.nats.password is set but aether.nats.username is not");
            }
        }

        /** @return the settings with every secret masked */
        @Override
        public String toString() {
            return "Nats[servers=" + servers.stream().map(NatsUrls::redact).toList() + ", connectionName="
                    + connectionName + ", username=" + username + ", password=" + mask(password) + ", token="
                    + mask(token) + ", credentialsFile=" + mask(credentialsFile) + ", nkeySeed=" + mask(nkeySeed)
                    + ", tls=" + tls + "]";
        }
    }

    /**
     * How the client reconnects after losing the server.
     *
     * @param maxAttempts How many reconnect attempts in a row before giving up; '-1' (default) never gives
     *                    up, which suits a store
     * @param delay       The wait between attempts to the same server
     */
    public record Reconnect(@DefaultValue("-1") int maxAttempts, @DefaultValue("1s") Duration delay) {

        /** Validates the policy. */
        public Reconnect {
            if (maxAttempts < -1) {
                throw new IllegalArgumentException(
                        "aether.nats.reconnect.max-attempts must be -1 (unlimited) or at least 0, was " + maxAttempts);
            }
            requirePositive(delay, "aether.nats.reconnect.delay");
        }
    }

    /**
     * TLS for the NATS connection. Either name a Spring Boot SSL bundle or give the stores directly.
     *
     * @param enabled            Whether to use TLS even if no store or bundle is set (the JVM's default trust)
     * @param bundle             The name of a Spring Boot SSL bundle ('spring.ssl.bundle.*') to use
     * @param trustStore         Path of a trust store file (JKS or PKCS12)
     * @param trustStorePassword The trust store's password; never logged
     * @param keyStore           Path of a key store file with the client certificate, for mutual TLS
     * @param keyStorePassword   The key store's password; never logged
     */
    public record Tls(@DefaultValue("false") boolean enabled, String bundle, String trustStore,
                      String trustStorePassword, String keyStore, String keyStorePassword) {

        /** Checks that a bundle and explicit stores are not mixed. */
        public Tls {
            if (bundle != null && (trustStore != null || keyStore != null)) {
                throw new IllegalArgumentException(
                        "aether.nats.tls.bundle cannot be combined with aether.nats.tls.trust-store or key-store");
            }
        }

        /** @return whether the connection uses TLS */
        public boolean active() {
            return enabled || bundle != null || trustStore != null || keyStore != null;
        }

        /** @return the settings with every secret masked */
        @Override
        public String toString() {
            return "Tls[enabled=" + enabled + ", bundle=" + bundle + ", trustStore=" + mask(trustStore)
                    + ", trustStorePassword=" + mask(trustStorePassword) + ", keyStore=" + mask(keyStore)
                    + ", keyStorePassword=" + mask(keyStorePassword) + "]";
        }
    }

    /** Where JetStream keeps a stream's messages. */
    public enum Storage {
        /** On disk: survives a server restart. */
        FILE,
        /** In memory: lost when the server stops. */
        MEMORY
    }

    /**
     * Settings of the JetStream stream that holds the namespace's events.
     *
     * @param replicas        How many servers keep a copy of the stream, 1 to 5
     * @param storage         'file' (default) or 'memory'
     * @param maxAge          How long events are kept; '0' (default) keeps them forever, as an event store should
     * @param maxBytes        The most the stream may hold; '-1' (default) for no limit
     * @param duplicateWindow How long the server remembers message ids to drop a retried save; at most 'max-age'
     *                        when that is set
     * @param streamPrefix    The first part of stream, subject and bucket names (default 'AETHER'), to keep
     *                        several applications apart on one NATS
     * @param readCacheEvents The most events the store's read cache holds over all actors (default 50000);
     *                        '0' turns the cache off. It keeps the whole history of recently read or saved
     *                        actors, drops the least recently used actor first, and is checked against
     *                        the actor's latest message on every read
     * @param subjectLayout   The subject layout of the namespace's stream when the store creates it: 'flat'
     *                        (default) or 'partitioned', whose subjects carry each actor's hash bits so that
     *                        the partitions of a partitioned subscription with a power-of-two count are
     *                        filtered by the server. A stream that exists keeps its own layout
     */
    public record JetStream(@DefaultValue("1") int replicas, @DefaultValue("file") Storage storage,
                            @DefaultValue("0s") Duration maxAge, @DefaultValue("-1B") DataSize maxBytes,
                            @DefaultValue("2m") Duration duplicateWindow, String streamPrefix,
                            @DefaultValue("50000") int readCacheEvents,
                            @DefaultValue("flat") SubjectLayout subjectLayout) {

        /** Validates the settings. */
        public JetStream {
            if (replicas < 1 || replicas > 5) {
                throw new IllegalArgumentException("aether.jetstream.replicas must be between 1 and 5, was " + replicas);
            }
            if (maxAge == null || maxAge.isNegative()) {
                throw new IllegalArgumentException("aether.jetstream.max-age must be 0 (forever) or positive, was "
                        + maxAge);
            }
            if (maxBytes == null || (maxBytes.toBytes() < 1 && maxBytes.toBytes() != -1)) {
                throw new IllegalArgumentException("aether.jetstream.max-bytes must be -1B (no limit) or positive, was "
                        + maxBytes);
            }
            requirePositive(duplicateWindow, "aether.jetstream.duplicate-window");
            if (!maxAge.isZero() && duplicateWindow.compareTo(maxAge) > 0) {
                throw new IllegalArgumentException("aether.jetstream.duplicate-window (" + duplicateWindow
                        + ") must not be above aether.jetstream.max-age (" + maxAge + "); JetStream refuses such a stream");
            }
            if (subjectLayout == null) {
                throw new IllegalArgumentException("aether.jetstream.subject-layout must be 'flat' or 'partitioned'");
            }
            if (readCacheEvents < 0) {
                throw new IllegalArgumentException("aether.jetstream.read-cache-events must be 0 (no cache) or positive, was "
                        + readCacheEvents);
            }
            if (streamPrefix != null) {
                try {
                    JetStreamNames.requireValidPrefix(streamPrefix);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("aether.jetstream.stream-prefix is invalid: " + ex.getMessage(), ex);
                }
            }
        }

        /** @return the stream prefix in use: the configured one or the store's default */
        public String effectiveStreamPrefix() {
            return streamPrefix == null ? JetStreamNames.DEFAULT_PREFIX : streamPrefix;
        }
    }

    /**
     * '@AetherSubscriber' methods.
     *
     * @param enabled         Whether annotated methods are subscribed at all
     * @param maxDeliveries   How many times one event is handed to a method that keeps failing before it is parked
     * @param retryBackoff    The wait before the first redelivery after a failure, doubled each time
     * @param maxRetryBackoff The longest wait between redeliveries
     */
    public record Subscribers(@DefaultValue("true") boolean enabled, @DefaultValue("5") int maxDeliveries,
                              @DefaultValue("1s") Duration retryBackoff, @DefaultValue("30s") Duration maxRetryBackoff) {

        /** Validates the retry policy. */
        public Subscribers {
            if (maxDeliveries < 1) {
                throw new IllegalArgumentException("aether.subscribers.max-deliveries must be at least 1, was "
                        + maxDeliveries);
            }
            requirePositive(retryBackoff, "aether.subscribers.retry-backoff");
            requirePositive(maxRetryBackoff, "aether.subscribers.max-retry-backoff");
            if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
                throw new IllegalArgumentException("aether.subscribers.max-retry-backoff (" + maxRetryBackoff
                        + ") must not be below aether.subscribers.retry-backoff (" + retryBackoff + ")");
            }
        }

        /**
         * @param durableName The durable name, or null
         * @return subscription options with this retry policy, starting with new events
         */
        public SubscriptionOptions toOptions(String durableName) {
            return SubscriptionOptions.builder().durableName(durableName).maxDeliveries(maxDeliveries)
                    .retryBackoff(retryBackoff).maxRetryBackoff(maxRetryBackoff).build();
        }
    }

    /**
     * Micrometer observations ('aether.save', 'aether.handle'), made when an 'ObservationRegistry' bean exists.
     *
     * @param enabled Whether saves and '@AetherSubscriber' calls are observed (timers, and spans with
     *                tracing) and the trace context is written into saved events
     */
    public record Observations(@DefaultValue("true") boolean enabled) {
    }

    private static void requirePositive(Duration duration, String property) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + duration);
        }
    }

    private static String mask(String secret) {
        return secret == null ? null : "******";
    }
}
