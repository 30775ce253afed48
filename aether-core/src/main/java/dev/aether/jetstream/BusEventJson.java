package dev.aether.jetstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aether.AetherException;
import dev.aether.Event;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event to JSON and back for messages on the live bus. Stand-in until the store's codec lands; the
 * field names are the event record's component names.
 */
final class BusEventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private BusEventJson() {
    }

    static byte[] encode(Event event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", event.id());
        json.put("eventType", event.eventType());
        json.put("actorId", event.actorId());
        json.put("version", event.version());
        json.put("data", event.data());
        json.put("metadata", event.metadata());
        json.put("timestamp", event.timestamp().toString());
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new AetherException("could not encode event " + event.id() + " as JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Event decode(byte[] bytes) {
        try {
            Map<String, Object> json = MAPPER.readValue(bytes, MAP);
            return Event.builder()
                    .id((String) json.get("id"))
                    .eventType((String) json.get("eventType"))
                    .actorId((String) json.get("actorId"))
                    .version(((Number) json.get("version")).longValue())
                    .data((Map<String, Object>) json.get("data"))
                    .metadata((Map<String, String>) json.get("metadata"))
                    .timestamp(Instant.parse((String) json.get("timestamp")))
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new AetherException("could not decode an event from JSON", e);
        }
    }
}
