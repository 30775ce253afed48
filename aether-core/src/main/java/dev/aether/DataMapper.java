package dev.aether;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Turns records and POJOs into the JSON-compatible {@code Map} model of {@link Event#data()} and
 * {@link ActorSnapshot#state()}, and back, through a Jackson 2 {@link ObjectMapper}.
 *
 * <p>{@link #defaults()} uses a plain {@code ObjectMapper} that ignores properties the target class
 * does not have, so that a field added to an event does not break older readers; pass your own mapper
 * to {@link #of(ObjectMapper)} for modules (such as {@code java.time}) or other settings. A value that
 * is not JSON compatible fails with an {@link IllegalArgumentException} naming the field, as
 * {@code data.total}, and the rule it breaks.
 */
public final class DataMapper {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final DataMapper DEFAULTS = new DataMapper(defaultObjectMapper());

    private final ObjectMapper objectMapper;

    private DataMapper(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** @return the mapper used by {@link Event#dataAs(Class)} and {@link Event.Builder#data(Object)} */
    public static DataMapper defaults() {
        return DEFAULTS;
    }

    /**
     * @param objectMapper the Jackson 2 mapper to convert with; used as is, so configure it before
     * @return a data mapper using it
     */
    public static DataMapper of(ObjectMapper objectMapper) {
        return new DataMapper(Objects.requireNonNull(objectMapper, "objectMapper must not be null"));
    }

    /** @return a new Jackson 2 mapper configured as the one of {@link #defaults()} */
    public static ObjectMapper defaultObjectMapper() {
        return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * Converts a record or POJO to the {@code Map} model.
     *
     * @param value the value; a {@code Map} is only copied
     * @param field the name of the field the value is for, used in error messages ({@code data})
     * @return a deep, unmodifiable copy with the rules of {@link Event#data()}
     * @throws IllegalArgumentException naming the field when a value is not JSON compatible or the
     *                                  value is not a JSON object
     * @throws NullPointerException     if {@code value} is null
     */
    public Map<String, Object> toData(Object value, String field) {
        if (value == null) {
            throw new NullPointerException(field + " must not be null");
        }
        if (value instanceof Map<?, ?> map) {
            return JsonData.copyOf(asStringKeyed(map), field);
        }
        Map<String, Object> converted;
        try {
            converted = objectMapper.convertValue(value, MAP);
        } catch (IllegalArgumentException ex) {
            throw failure(ex, field, " of " + value.getClass().getName() + " is not JSON compatible: ");
        }
        if (converted == null) {
            throw new IllegalArgumentException(field + " must convert to a JSON object, "
                    + value.getClass().getName() + " converts to null");
        }
        return JsonData.copyOf(converted, field);
    }

    /**
     * Reads the JSON object the parser is at straight into the {@code Map} model, with the rules of
     * {@link Event#data()} and the messages of {@link #toData(Object, String)}, without a tree in
     * between: for event stores that decode stored JSON. An event built with the result does not copy
     * it again.
     *
     * @param parser a parser whose current token is the object's start or {@code null}; left at its end
     * @param field  the name of the field the object is for, used in error messages ({@code data})
     * @return a deep, unmodifiable map; empty for {@code null}
     * @throws IllegalArgumentException naming the field when the value is not a JSON object or holds a
     *                                  value the rules refuse (an unpaired surrogate, a non-finite number)
     * @throws IOException              if the JSON is malformed or the parser fails
     */
    public static Map<String, Object> readData(JsonParser parser, String field) throws IOException {
        Objects.requireNonNull(parser, "parser must not be null");
        return JsonData.read(parser, Objects.requireNonNull(field, "field must not be null"));
    }

    /**
     * Converts the {@code Map} model to a record or POJO.
     *
     * @param data  the data
     * @param type  the class to read
     * @param field the name of the field the data is from, used in error messages ({@code data})
     * @param <T>   the class to read
     * @return a new instance
     * @throws IllegalArgumentException naming the field whose value does not fit the class
     */
    public <T> T fromData(Map<String, ?> data, Class<T> type, String field) {
        Objects.requireNonNull(data, field + " must not be null");
        Objects.requireNonNull(type, "type must not be null");
        try {
            return objectMapper.convertValue(data, type);
        } catch (IllegalArgumentException ex) {
            throw failure(ex, field, " cannot be read as " + type.getName() + ": ");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> asStringKeyed(Map<?, ?> map) {
        return (Map<String, ?>) map;
    }

    private static IllegalArgumentException failure(IllegalArgumentException ex, String field, String rule) {
        if (!(ex.getCause() instanceof JsonMappingException mapping)) {
            return new IllegalArgumentException(field + rule + ex.getMessage(), ex);
        }
        StringBuilder path = new StringBuilder(field);
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return new IllegalArgumentException(path + rule + mapping.getOriginalMessage(), ex);
    }
}
