package dev.aether.jetstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.spi.EventBatch;
import io.nats.client.impl.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Aether's wire format for events and snapshots: UTF-8 JSON bodies and NATS headers, written with an
 * {@link ObjectMapper} of its own (applications need no Jackson 2 bean). See {@code docs/wire-format.md}.
 *
 * <p>Event body: {@code {"id","eventType","actorId","version","data","metadata","timestamp"}} with
 * the timestamp as an ISO-8601 instant. Snapshot body: {@code {"actorId","version","state","timestamp"}}.
 * Unknown fields are ignored when reading, so that later versions may add some.
 */
final class EventCodec {

    /** Header holding the event id (percent-encoded, see {@link #headerValue(String)}). */
    public static final String EVENT_ID_HEADER = "Aether-Event-Id";
    /** Header holding the event type (percent-encoded, see {@link #headerValue(String)}). */
    public static final String EVENT_TYPE_HEADER = "Aether-Event-Type";
    /** Header holding the event version as a decimal number. */
    public static final String VERSION_HEADER = "Aether-Version";
    /** Header of a batch message holding its first event's version as a decimal number. */
    public static final String FIRST_VERSION_HEADER = "Aether-First-Version";
    /** Header of a batch message holding the number of events in it. */
    public static final String EVENT_COUNT_HEADER = "Aether-Event-Count";
    /** Header holding the body's media type, {@value #CONTENT_TYPE}. */
    public static final String CONTENT_TYPE_HEADER = "Content-Type";
    /** The media type of every body. */
    public static final String CONTENT_TYPE = "application/json";

    private final ObjectMapper mapper = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final EventBodyReader reader = new EventBodyReader(mapper.getFactory());

    /** A codec with Aether's own JSON settings. */
    public EventCodec() {
    }

    /**
     * @param event an event
     * @return its JSON body
     */
    public byte[] encode(Event event) {
        return write(EventJson.of(event));
    }

    /**
     * @param json an event body written by {@link #encode(Event)} or by another client following the format
     * @return the event
     * @throws IllegalArgumentException if the body is not a valid event
     */
    public Event decode(byte[] json) {
        Event[] event = new Event[1];
        reader.read(json, false, decoded -> event[0] = decoded);
        return event[0];
    }

    /**
     * Encodes a batch of two or more events of one actor as one JSON array of event bodies.
     *
     * @param events the events, already checked as a batch
     * @return the JSON array
     */
    public byte[] encode(List<Event> events) {
        List<EventJson> bodies = new ArrayList<>(events.size());
        for (Event event : events) {
            bodies.add(EventJson.of(event));
        }
        return write(bodies);
    }

    /**
     * Decodes a stored message body: one event (a JSON object) or a batch (a JSON array of event
     * objects of one actor in strictly increasing versions).
     *
     * @param json the message body; null (an empty message, as jnats gives it) is refused
     * @return the events it holds, in version order; never empty
     * @throws IllegalArgumentException if the body is neither a valid event nor a valid batch
     */
    public List<Event> decodeMessage(byte[] json) {
        if (json == null || json.length == 0) {
            throw new IllegalArgumentException("Not a valid Aether event body: the message body is empty");
        }
        int first = 0;
        while (first < json.length && Character.isWhitespace(json[first])) {
            first++;
        }
        if (first == json.length || json[first] != '[') {
            return List.of(decode(json));
        }
        List<Event> events = new ArrayList<>();
        reader.read(json, true, events::add);
        try {
            return EventBatch.of(events).events();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid Aether batch body: " + e.getMessage(), e);
        }
    }

    /**
     * @param events a batch of two or more events of one actor
     * @return the headers that describe the batch: last version, first version, count, media type
     */
    public Headers headers(List<Event> events) {
        return new Headers()
                .put(VERSION_HEADER, Long.toString(events.get(events.size() - 1).version()))
                .put(FIRST_VERSION_HEADER, Long.toString(events.get(0).version()))
                .put(EVENT_COUNT_HEADER, Integer.toString(events.size()))
                .put(CONTENT_TYPE_HEADER, CONTENT_TYPE);
    }

    /**
     * @param event an event
     * @return the headers that describe it, so that tools need not parse the body
     */
    public Headers headers(Event event) {
        return new Headers()
                .put(EVENT_ID_HEADER, headerValue(event.id()))
                .put(EVENT_TYPE_HEADER, headerValue(event.eventType()))
                .put(VERSION_HEADER, Long.toString(event.version()))
                .put(CONTENT_TYPE_HEADER, CONTENT_TYPE);
    }

    /**
     * @param snapshot a snapshot
     * @return its JSON body
     */
    public byte[] encode(ActorSnapshot snapshot) {
        return write(new SnapshotJson(snapshot.actorId(), snapshot.version(), snapshot.state(),
                snapshot.timestamp().toString()));
    }

    /**
     * @param json a snapshot body
     * @return the snapshot
     * @throws IllegalArgumentException if the body is not a valid snapshot
     */
    public ActorSnapshot decodeSnapshot(byte[] json) {
        SnapshotJson s = read(json, SnapshotJson.class);
        try {
            return new ActorSnapshot(s.actorId(), s.version(), orEmpty(s.state()), parseTime(s.timestamp()));
        } catch (NullPointerException | DateTimeException invalid) {
            throw new IllegalArgumentException("Not a valid Aether snapshot body: " + invalid.getMessage(), invalid);
        }
    }

    /**
     * Encodes a string for a header value: printable ASCII other than {@code %} stays as it is; every
     * other UTF-8 byte becomes {@code %XX} with upper-case hex digits, as in a URI. A space that
     * begins or ends the value becomes {@code %20} as well, because NATS clients trim header values.
     *
     * @param value any string
     * @return a header-safe value that survives a NATS round trip unchanged
     */
    public static String headerValue(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            int c = utf8[i] & 0xFF;
            boolean trimmedAway = c == ' ' && (i == 0 || i == utf8.length - 1);
            if (c >= 0x20 && c < 0x7F && c != '%' && !trimmedAway) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /**
     * Reverses {@link #headerValue(String)}: {@code %XX} sequences, with hex digits of either case,
     * back to UTF-8 bytes.
     *
     * @param value a value made by {@link #headerValue(String)} or by another writer of the format
     * @return the original string
     * @throws IllegalArgumentException if a {@code %} is not followed by two hex digits
     */
    public static String fromHeaderValue(String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new IllegalArgumentException("header value '" + value + "' is malformed: '%' at index " + i
                            + " must be followed by two hex digits");
                }
                bytes.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(byte[] json, Class<T> type) {
        String kind = type.getSimpleName().replace("Json", "").toLowerCase();
        T value;
        try {
            value = mapper.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a valid Aether " + kind + " body: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalArgumentException("Not a valid Aether " + kind + " body: it is empty or JSON null");
        }
        return value;
    }

    private static Map<String, Object> orEmpty(Map<String, Object> map) {
        return map == null ? Map.of() : map;
    }

    private static Instant parseTime(String timestamp) {
        if (timestamp == null) {
            throw new IllegalArgumentException("timestamp is missing from the JSON body");
        }
        return Instant.parse(timestamp);
    }

    private record EventJson(String id, String eventType, String actorId, long version, Map<String, Object> data,
                             Map<String, String> metadata, String timestamp) {

        static EventJson of(Event event) {
            return new EventJson(event.id(), event.eventType(), event.actorId(), event.version(), event.data(),
                    event.metadata(), event.timestamp().toString());
        }
    }

    private record SnapshotJson(String actorId, long version, Map<String, Object> state, String timestamp) {
    }
}
