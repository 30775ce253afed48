package dev.aether.upcast;

import dev.aether.Event;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One step of schema evolution: turns the data of an event of {@link #eventType()} at schema version
 * {@link #fromVersion()} into the data of {@link #toEventType()} at version {@code fromVersion() + 1}.
 * An {@link UpcasterChain} applies the steps in turn on read; stored events never change.
 *
 * <pre>{@code
 * EventUpcaster splitName = EventUpcaster.of("CustomerRegistered", 1, data -> Map.of(
 *         "firstName", first((String) data.get("name")), "lastName", last((String) data.get("name"))));
 * }</pre>
 */
public interface EventUpcaster {

    /** @return the event type this step reads */
    String eventType();

    /** @return the schema version this step reads, at least 1 */
    int fromVersion();

    /** @return the event type this step writes; {@link #eventType()} unless the step renames */
    default String toEventType() {
        return eventType();
    }

    /**
     * @param event an event of {@link #eventType()} at schema version {@link #fromVersion()}
     * @return its data in the shape of version {@code fromVersion() + 1}, JSON compatible
     */
    Map<String, ?> upcast(Event event);

    /**
     * @param eventType   the event type read and written
     * @param fromVersion the schema version read
     * @param data        turns the old data into the new
     * @return an upcaster of the data alone
     */
    static EventUpcaster of(String eventType, int fromVersion, Function<Map<String, Object>, Map<String, ?>> data) {
        return renaming(eventType, fromVersion, eventType, data);
    }

    /**
     * @param eventType   the event type read
     * @param fromVersion the schema version read
     * @param toEventType the event type written
     * @param data        turns the old data into the new
     * @return an upcaster that also renames the event type
     */
    static EventUpcaster renaming(String eventType, int fromVersion, String toEventType,
                                  Function<Map<String, Object>, Map<String, ?>> data) {
        Objects.requireNonNull(eventType, "eventType must not be null");
        Objects.requireNonNull(toEventType, "toEventType must not be null");
        Objects.requireNonNull(data, "data must not be null");
        SchemaVersion.require(fromVersion);
        return new EventUpcaster() {
            @Override
            public String eventType() {
                return eventType;
            }

            @Override
            public int fromVersion() {
                return fromVersion;
            }

            @Override
            public String toEventType() {
                return toEventType;
            }

            @Override
            public Map<String, ?> upcast(Event event) {
                return data.apply(event.data());
            }

            @Override
            public String toString() {
                return "EventUpcaster[" + eventType + " v" + fromVersion + " -> " + toEventType + " v"
                        + (fromVersion + 1) + "]";
            }
        };
    }
}
