package dev.aether.typed;

import dev.aether.DataMapper;
import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.SubscriptionFilter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which class each event type's data is read as, so that code can work with {@code OrderPlaced}
 * records instead of {@code Map}s. An event type has one class and a class one event type.
 *
 * <pre>{@code
 * EventTypes types = EventTypes.builder().register("OrderPlaced", OrderPlaced.class).build();
 * store.saveEvent(types.eventFor(new OrderPlaced("o-1", 42)).actorId("order-1").version(1).build());
 * OrderPlaced placed = types.read(event, OrderPlaced.class);
 * }</pre>
 */
public final class EventTypes {

    private static final EventTypes EMPTY = new EventTypes(Map.of(), DataMapper.defaults());

    private final Map<String, Class<?>> classes;
    private final Map<Class<?>, String> types;
    private final DataMapper mapper;

    private EventTypes(Map<String, Class<?>> classes, DataMapper mapper) {
        this.classes = Map.copyOf(classes);
        Map<Class<?>, String> byClass = new LinkedHashMap<>();
        classes.forEach((type, cls) -> byClass.put(cls, type));
        this.types = Map.copyOf(byClass);
        this.mapper = mapper;
    }

    /** @return a registry with no types */
    public static EventTypes empty() {
        return EMPTY;
    }

    /** @return a builder with no types and {@link DataMapper#defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the registered event types */
    public Set<String> eventTypes() {
        return classes.keySet();
    }

    /** @return the mapper that converts data to and from the registered classes */
    public DataMapper mapper() {
        return mapper;
    }

    /**
     * @param eventType an event type
     * @return the class registered for it, or empty
     */
    public Optional<Class<?>> classOf(String eventType) {
        return Optional.ofNullable(classes.get(eventType));
    }

    /**
     * @param type a class
     * @return the event type it is registered for, or empty
     */
    public Optional<String> eventTypeOf(Class<?> type) {
        return Optional.ofNullable(types.get(type));
    }

    /**
     * @param type a class
     * @return the event type it is registered for
     * @throws IllegalArgumentException naming the class when it is not registered
     */
    public String requireEventTypeOf(Class<?> type) {
        String eventType = types.get(Objects.requireNonNull(type, "type must not be null"));
        if (eventType == null) {
            throw new IllegalArgumentException(type.getName() + " is not registered for any event type (registered: "
                    + classes.keySet() + ")");
        }
        return eventType;
    }

    /**
     * @param payload a registered class's instance
     * @return a builder with the event type and data set; the caller adds actor, version and metadata
     * @throws IllegalArgumentException if the class is not registered or a field is not JSON compatible
     */
    public Event.Builder eventFor(Object payload) {
        Objects.requireNonNull(payload, "payload must not be null");
        return Event.builder().eventType(requireEventTypeOf(payload.getClass())).data(payload, mapper);
    }

    /**
     * @param event an event of a registered type
     * @return its data read as the registered class
     * @throws IllegalArgumentException if its type is not registered or its data does not fit the class
     */
    public Object read(Event event) {
        Class<?> type = classes.get(event.eventType());
        if (type == null) {
            throw new IllegalArgumentException("event type " + event.eventType() + " of event " + event.id()
                    + " has no registered class (registered: " + classes.keySet() + ")");
        }
        return event.dataAs(type, mapper);
    }

    /**
     * @param event an event whose type is registered for {@code type}
     * @param type  the registered class
     * @param <T>   the registered class
     * @return its data read as {@code type}
     * @throws IllegalArgumentException if the event's type is not the one registered for {@code type}
     */
    public <T> T read(Event event, Class<T> type) {
        String expected = requireEventTypeOf(type);
        if (!expected.equals(event.eventType())) {
            throw new IllegalArgumentException("event " + event.id() + " is a " + event.eventType() + ", not a "
                    + expected + " (" + type.getName() + ")");
        }
        return event.dataAs(type, mapper);
    }

    /**
     * @param type a registered class
     * @return a filter delivering only events of its type
     */
    public SubscriptionFilter filterFor(Class<?> type) {
        return SubscriptionFilter.eventTypes(requireEventTypeOf(type));
    }

    /**
     * Adapts a typed handler to an {@link EventHandler}; subscribe it with {@link #filterFor(Class)}.
     *
     * @param type    a registered class
     * @param handler receives the payload of each event of that type
     * @param <T>     the registered class
     * @return a handler that reads each event as {@code type}; an event of another type is an error
     */
    public <T> EventHandler handler(Class<T> type, TypedEventHandler<? super T> handler) {
        requireEventTypeOf(type);
        Objects.requireNonNull(handler, "handler must not be null");
        return (namespace, event) -> handler.handle(read(event, type), event);
    }

    /** Collects registrations; {@link #build()} returns an immutable {@link EventTypes}. */
    public static final class Builder {
        private final Map<String, Class<?>> classes = new LinkedHashMap<>();
        private DataMapper mapper = DataMapper.defaults();

        private Builder() {
        }

        /**
         * @param eventType the event type
         * @param type      the class its data is read as
         * @return this builder
         * @throws IllegalArgumentException if the type or the class is already registered to another
         */
        public Builder register(String eventType, Class<?> type) {
            Objects.requireNonNull(eventType, "eventType must not be null");
            Objects.requireNonNull(type, "type must not be null");
            if (eventType.isBlank()) {
                throw new IllegalArgumentException("eventType must not be blank");
            }
            Class<?> existing = classes.get(eventType);
            if (existing != null && existing != type) {
                throw new IllegalArgumentException("event type " + eventType + " is already registered to "
                        + existing.getName() + ", cannot register " + type.getName());
            }
            classes.forEach((otherType, cls) -> {
                if (cls == type && !otherType.equals(eventType)) {
                    throw new IllegalArgumentException(type.getName() + " is already registered as event type "
                            + otherType + ", cannot register it as " + eventType);
                }
            });
            classes.put(eventType, type);
            return this;
        }

        /**
         * @param type a class registered under its simple name ({@code OrderPlaced})
         * @return this builder
         */
        public Builder register(Class<?> type) {
            return register(Objects.requireNonNull(type, "type must not be null").getSimpleName(), type);
        }

        /**
         * @param other registrations to add, with the same conflict rules
         * @return this builder
         */
        public Builder registerAll(EventTypes other) {
            other.classes.forEach(this::register);
            return this;
        }

        /** @param mapper the mapper to convert data with @return this builder */
        public Builder mapper(DataMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
            return this;
        }

        /** @return the registrations */
        public EventTypes build() {
            return new EventTypes(classes, mapper);
        }
    }
}
