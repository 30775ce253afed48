package dev.aether.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated configuration metadata describes every {@code aether.*} property. */
class ConfigurationMetadataTests {

    @Test
    void everyAetherPropertyHasADescription() throws IOException {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated spring-configuration-metadata.json").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            names.add(name);
            if (!property.hasNonNull("description") || property.get("description").asText().isBlank()) {
                undescribed.add(name);
            }
        }
        assertThat(names).contains("aether.store.type", "aether.namespace", "aether.nats.servers",
                "aether.nats.startup-mode", "aether.jetstream.replicas", "aether.subscribers.max-deliveries",
                "aether.nats.tls.bundle", "aether.nats.reconnect.max-attempts", "management.endpoint.aether.access",
                "aether.jetstream.read-cache-events", "aether.jetstream.subject-layout");
        assertThat(undescribed).isEmpty();
    }
}
