package dev.aether.jetstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.aether.DataMapper;
import dev.aether.Event;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads event bodies token by token into {@link Event}s, with no tree or intermediate object in
 * between: the data goes straight into the immutable maps an event keeps
 * ({@link DataMapper#readData(JsonParser, String)}). It accepts and refuses what the former data-binding
 * reader did: unknown fields are skipped, a missing {@code data} or {@code metadata} or a {@code null}
 * one is empty, a {@code version} written as a string or with a fraction is read as an integer, scalar
 * values of string fields and of {@code metadata} are read as their text; everything else is checked by
 * {@link Event}'s constructor.
 */
final class EventBodyReader {

    private final JsonFactory factory;

    /** @param factory the JSON settings to parse with (nesting, number and string length limits) */
    EventBodyReader(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * @param json   a body holding one event object, or an array of them
     * @param events receives each event, in order
     * @param array  whether the body is an array
     * @throws IllegalArgumentException if the body is not one or an array of valid events; the message
     *                                  starts with "Not a valid Aether event body" or "... batch body"
     */
    void read(byte[] json, boolean array, Consumer<Event> events) {
        String kind = array ? "batch" : "event";
        try (JsonParser parser = factory.createParser(json)) {
            JsonToken token = parser.nextToken();
            if (token == null || token == JsonToken.VALUE_NULL) {
                throw new IllegalArgumentException("Not a valid Aether " + kind + " body: it is empty or JSON null");
            }
            if (!array) {
                events.accept(event(parser));
                return;
            }
            int index = 0;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == JsonToken.VALUE_NULL) {
                    throw new IllegalArgumentException("Not a valid Aether batch body: element " + index + " is null");
                }
                events.accept(event(parser));
                index++;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a valid Aether " + kind + " body: " + e.getMessage(), e);
        }
    }

    /** Reads the event object the parser is at, leaving the parser at its end. */
    private static Event event(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("Not a valid Aether event body: an event is a JSON object, found "
                    + parser.currentToken());
        }
        String id = null;
        String eventType = null;
        String actorId = null;
        long version = 0;
        Map<String, Object> data = null;
        Map<String, String> metadata = null;
        String timestamp = null;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            parser.nextToken();
            switch (field) {
                case "id" -> id = text(parser, field);
                case "eventType" -> eventType = text(parser, field);
                case "actorId" -> actorId = text(parser, field);
                case "version" -> version = version(parser);
                case "data" -> data = data(parser);
                case "metadata" -> metadata = metadata(parser);
                case "timestamp" -> timestamp = text(parser, field);
                default -> parser.skipChildren();
            }
        }
        try {
            if (timestamp == null) {
                throw new IllegalArgumentException("timestamp is missing from the JSON body");
            }
            return new Event(id, eventType, actorId, version, data == null ? Map.of() : data,
                    metadata == null ? Map.of() : metadata, instant(timestamp));
        } catch (NullPointerException | DateTimeException invalid) {
            throw new IllegalArgumentException("Not a valid Aether event body: " + invalid.getMessage(), invalid);
        }
    }

    private static Map<String, Object> data(JsonParser parser) throws IOException {
        try {
            return DataMapper.readData(parser, "data");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid Aether event body: " + e.getMessage(), e);
        }
    }

    /** A string field: a JSON string, or the text of another scalar; null for {@code null}. */
    private static String text(JsonParser parser, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!token.isScalarValue()) {
            throw new IllegalArgumentException("Not a valid Aether event body: " + field
                    + " must be a JSON string, found " + token);
        }
        return parser.getText();
    }

    /** The version: an integer, or a number with a fraction or a string read as one; 0 (refused) for null. */
    private static long version(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        try {
            return switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getValueAsLong();
                case VALUE_STRING -> parser.getText().isBlank() ? 0 : Long.parseLong(parser.getText().trim());
                case VALUE_NULL -> 0;
                default -> throw new IllegalArgumentException("Not a valid Aether event body: version must be a "
                        + "JSON integer, found " + token);
            };
        } catch (NumberFormatException | IOException e) {
            throw new IllegalArgumentException("Not a valid Aether event body: version '" + parser.getText()
                    + "' is not an integer from 1 to 9223372036854775807", e);
        }
    }

    /** The metadata: an object whose scalar values are read as their text; null for {@code null}. */
    private static Map<String, String> metadata(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("Not a valid Aether event body: metadata must be a JSON object, found "
                    + token);
        }
        Map<String, String> metadata = new HashMap<>();
        String key;
        while ((key = parser.nextFieldName()) != null) {
            parser.nextToken();
            metadata.put(key, text(parser, "metadata['" + key + "']"));
        }
        return metadata;
    }

    /**
     * Reads the timestamp as {@link Instant#parse(CharSequence)} does. The form Aether writes
     * ({@code 2026-11-27T15:20:00.123456789Z}: four-digit year, 0 to 9 fraction digits, {@code Z}) is
     * read directly; anything else goes to {@code Instant.parse}, which gives the same instant or the
     * same error.
     */
    static Instant instant(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.' || length == 21) {
                return Instant.parse(text);
            }
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return Instant.parse(text);
            }
            nanos = fraction;
            for (int i = length - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Instant.parse(text);
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** @return the decimal number in {@code text[from, to)}, or -1 if a character is not an ASCII digit */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
