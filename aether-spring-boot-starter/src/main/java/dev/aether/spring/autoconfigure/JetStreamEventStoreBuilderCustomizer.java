package dev.aether.spring.autoconfigure;

import dev.aether.jetstream.JetStreamEventStore;

/**
 * Changes the {@link JetStreamEventStore.Builder} the starter uses for {@code aether.store.type=jetstream}
 * after the {@code aether.jetstream.*} properties have been applied, for a setting the properties do
 * not offer. Declare one or more beans; they run in {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface JetStreamEventStoreBuilderCustomizer {

    /** @param builder the store's builder, with the properties already applied */
    void customize(JetStreamEventStore.Builder builder);
}
