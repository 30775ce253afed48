package dev.aether;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An immutable fact in one actor's stream.
 *
 * <pre>{@code
 * Event event = Event.builder()
 *     .eventType("OrderPlaced").actorId("order-1").version(store.getLatestVersion("order-1") + 1)
 *     .data(Map.of("total", 42)).correlationId(requestId)
 *     .build();
 * }</pre>
 *
 * @param id        unique id of the event, at most {@value #MAX_ID_LENGTH} characters; a random UUID by default
 * @param eventType what happened, at most {@value #MAX_EVENT_TYPE_LENGTH} characters ({@code OrderPlaced})
 * @param actorId   the actor whose stream the event belongs to; see {@link ActorId}
 * @param version   position in the actor's stream, at least 1, supplied by the caller
 * @param data      JSON-compatible payload, deep-copied and unmodifiable (see the rules in the class
 *                  Javadoc of the codec: null, Boolean, Number, String, List, Map with String keys;
 *                  integers are kept as Integer/Long/BigInteger, decimals as Double, BigDecimal is refused)
 * @param metadata  string metadata such as correlation and trace ids, unmodifiable
 * @param timestamp when the event was created
 */
public record Event(String id, String eventType, String actorId, long version,
                   Map<String, Object> data, Map<String, String> metadata, Instant timestamp) {

    /** The longest event id accepted. */
    public static final int MAX_ID_LENGTH = 256;
    /** The longest event type accepted. */
    public static final int MAX_EVENT_TYPE_LENGTH = 256;

    /** Metadata key of the correlation id: the id of the request or conversation this event belongs to. */
    public static final String CORRELATION_ID = "correlationId";
    /** Metadata key of the causation id: the id of the message or event that caused this one. */
    public static final String CAUSATION_ID = "causationId";
    /** Metadata key of the id of the user on whose behalf the event was recorded. */
    public static final String USER_ID = "userId";
    /** Metadata key of the distributed-tracing trace id. */
    public static final String TRACE_ID = "traceId";
    /** Metadata key of the distributed-tracing span id. */
    public static final String SPAN_ID = "spanId";

    /** Validates every component and copies the maps. */
    public Event {
        id = requireLabel(id, "id", MAX_ID_LENGTH);
        eventType = requireLabel(eventType, "eventType", MAX_EVENT_TYPE_LENGTH);
        ActorId.requireValid(actorId);
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        data = JsonData.copyOf(data, "data");
        metadata = copyMetadata(metadata);
        if (timestamp == null) {
            throw new NullPointerException("timestamp must not be null");
        }
    }

    /** @return a builder with a random id, the current time and empty data and metadata */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this event's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * @param newVersion the version of the copy
     * @return a copy of this event with another version
     */
    public Event withVersion(long newVersion) {
        return new Event(id, eventType, actorId, newVersion, data, metadata, timestamp);
    }

    /**
     * @param key   metadata key
     * @param value metadata value
     * @return a copy of this event with one metadata entry added or replaced
     */
    public Event withMetadata(String key, String value) {
        Map<String, String> copy = new HashMap<>(metadata);
        copy.put(key, value);
        return new Event(id, eventType, actorId, version, data, copy, timestamp);
    }

    /**
     * Reads the data as a record or POJO through {@link DataMapper#defaults()}.
     *
     * <pre>{@code OrderPlaced placed = event.dataAs(OrderPlaced.class);}</pre>
     *
     * @param type the class to read
     * @param <T>  the class to read
     * @return a new instance holding the data
     * @throws IllegalArgumentException naming the field of {@code data} that does not fit the class
     */
    public <T> T dataAs(Class<T> type) {
        return dataAs(type, DataMapper.defaults());
    }

    /**
     * Reads the data as a record or POJO through the given mapper.
     *
     * @param type   the class to read
     * @param mapper the mapper to convert with
     * @param <T>    the class to read
     * @return a new instance holding the data
     * @throws IllegalArgumentException naming the field of {@code data} that does not fit the class
     */
    public <T> T dataAs(Class<T> type, DataMapper mapper) {
        return mapper.fromData(data, type, "data");
    }

    /** @return the {@value #CORRELATION_ID} metadata entry */
    public Optional<String> correlationId() {
        return Optional.ofNullable(metadata.get(CORRELATION_ID));
    }

    /** @return the {@value #CAUSATION_ID} metadata entry */
    public Optional<String> causationId() {
        return Optional.ofNullable(metadata.get(CAUSATION_ID));
    }

    /** @return the {@value #USER_ID} metadata entry */
    public Optional<String> userId() {
        return Optional.ofNullable(metadata.get(USER_ID));
    }

    /** @return the {@value #TRACE_ID} metadata entry */
    public Optional<String> traceId() {
        return Optional.ofNullable(metadata.get(TRACE_ID));
    }

    /** @return the {@value #SPAN_ID} metadata entry */
    public Optional<String> spanId() {
        return Optional.ofNullable(metadata.get(SPAN_ID));
    }

    private static String requireLabel(String value, String field, int maxLength) {
        if (value == null) {
            throw new NullPointerException(field + " must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be at most " + maxLength + " characters, was "
                    + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(field + " must not contain control characters");
            }
        }
        return UnicodeText.requireWellFormed(value, field);
    }

    private static Map<String, String> copyMetadata(Map<String, String> metadata) {
        if (metadata == null) {
            throw new NullPointerException("metadata must not be null (use an empty map)");
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey() == null) {
                throw new NullPointerException("metadata must not contain a null key");
            }
            if (entry.getKey().isBlank()) {
                throw new IllegalArgumentException("metadata keys must not be blank");
            }
            if (entry.getValue() == null) {
                throw new NullPointerException("metadata['" + entry.getKey() + "'] must not be null");
            }
            UnicodeText.requireWellFormed(entry.getKey(), "metadata key");
            UnicodeText.requireWellFormed(entry.getValue(), "metadata['" + entry.getKey() + "']");
        }
        return Map.copyOf(metadata);
    }

    /** Builds an {@link Event}; every component has a setter, and {@link #build()} validates them. */
    public static final class Builder {
        private String id = UUID.randomUUID().toString();
        private String eventType;
        private String actorId;
        private long version;
        private Map<String, Object> data = Map.of();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private Instant timestamp;

        private Builder() {
        }

        private Builder(Event event) {
            this.id = event.id;
            this.eventType = event.eventType;
            this.actorId = event.actorId;
            this.version = event.version;
            this.data = event.data;
            this.metadata.putAll(event.metadata);
            this.timestamp = event.timestamp;
        }

        /** @param id the event id; a random UUID unless set @return this builder */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** @param eventType what happened @return this builder */
        public Builder eventType(String eventType) {
            this.eventType = eventType;
            return this;
        }

        /** @param actorId the actor @return this builder */
        public Builder actorId(String actorId) {
            this.actorId = actorId;
            return this;
        }

        /** @param version the caller-chosen version, at least 1 @return this builder */
        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /** @param data the JSON-compatible payload @return this builder */
        @SuppressWarnings("unchecked")
        public Builder data(Map<String, ?> data) {
            this.data = (Map<String, Object>) data;
            return this;
        }

        /**
         * Sets the data from a record or POJO, converted through {@link DataMapper#defaults()}.
         *
         * @param value the payload; a {@code Map} is taken as it is
         * @return this builder
         * @throws IllegalArgumentException naming the field whose value is not JSON compatible
         */
        public Builder data(Object value) {
            return data(value, DataMapper.defaults());
        }

        /**
         * Sets the data from a record or POJO, converted through the given mapper.
         *
         * @param value  the payload; a {@code Map} is taken as it is
         * @param mapper the mapper to convert with
         * @return this builder
         * @throws IllegalArgumentException naming the field whose value is not JSON compatible
         */
        public Builder data(Object value, DataMapper mapper) {
            this.data = mapper.toData(value, "data");
            return this;
        }

        /** @param metadata replaces all metadata set so far (null keys or values are refused by build) @return this builder */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata.clear();
            if (metadata == null) {
                throw new NullPointerException("metadata must not be null (use an empty map)");
            }
            this.metadata.putAll(metadata);
            return this;
        }

        /** @param key metadata key @param value metadata value @return this builder */
        public Builder metadata(String key, String value) {
            this.metadata.put(key, value);
            return this;
        }

        /** @param timestamp when the event was created; now unless set @return this builder */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** @param correlationId the {@value Event#CORRELATION_ID} metadata entry @return this builder */
        public Builder correlationId(String correlationId) {
            return metadata(CORRELATION_ID, correlationId);
        }

        /** @param causationId the {@value Event#CAUSATION_ID} metadata entry @return this builder */
        public Builder causationId(String causationId) {
            return metadata(CAUSATION_ID, causationId);
        }

        /** @param userId the {@value Event#USER_ID} metadata entry @return this builder */
        public Builder userId(String userId) {
            return metadata(USER_ID, userId);
        }

        /** @param traceId the {@value Event#TRACE_ID} metadata entry @return this builder */
        public Builder traceId(String traceId) {
            return metadata(TRACE_ID, traceId);
        }

        /** @param spanId the {@value Event#SPAN_ID} metadata entry @return this builder */
        public Builder spanId(String spanId) {
            return metadata(SPAN_ID, spanId);
        }

        /**
         * @return the validated event
         * @throws IllegalArgumentException or NullPointerException naming the component that is wrong
         */
        public Event build() {
            return new Event(id, eventType, actorId, version, data, metadata,
                    timestamp != null ? timestamp : Instant.now());
        }
    }
}
