package dev.aether.spring.autoconfigure;

import io.nats.client.Options;

/**
 * Changes the jnats {@link Options} of the starter's NATS connection after the {@code aether.nats.*}
 * properties have been applied: a connection listener, an executor, an inbox prefix, anything the
 * properties do not offer. Declare one or more beans; they run in {@link org.springframework.core.annotation.Order @Order}.
 *
 * <p>A connection listener set here is called after the starter's own (which logs and tracks the
 * first connection), so both see every event. An error listener set here replaces the starter's,
 * whose only extra is the reason it adds to a failed first connection.
 */
@FunctionalInterface
public interface NatsOptionsCustomizer {

    /** @param builder the options, with the properties already applied */
    void customize(Options.Builder builder);
}
