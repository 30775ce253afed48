package dev.aether.spring.observation;

import java.util.List;
import java.util.Objects;

import dev.aether.Event;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Creates Aether's observations, with the names, tags and metadata keys documented here.
 *
 * <ul>
 * <li>{@value #SAVE}: one per save call ({@code saveEvents} and the asynchronous saves included: one per
 * batch, until its future completes), low-cardinality tags
 * {@value #STORE_TYPE}, {@value #NAMESPACE}, {@value #EVENT_TYPE} and {@value #OUTCOME}
 * ({@code success}, {@code conflict}, {@code error}); high-cardinality {@value #ACTOR_ID}.</li>
 * <li>{@value #HANDLE}: one per call of an {@code @AetherSubscriber} method (each retry is one),
 * low-cardinality tags {@value #STORE_TYPE}, {@value #NAMESPACE_PATTERN}, {@value #EVENT_TYPE},
 * {@value #SUBSCRIBER_ID} and {@value #OUTCOME} ({@code success}, {@code error}); high-cardinality
 * {@value #ACTOR_ID}, {@value #EVENT_ID}, {@value #NAMESPACE}.</li>
 * </ul>
 *
 * <p>A save that runs inside an observation (a traced request) writes the tracer's propagation fields
 * into each event's metadata, W3C's {@value #TRACEPARENT} and {@value #TRACESTATE} with Boot's
 * default propagation; a key the event already has is kept. {@value #HANDLE} reads them back, so
 * the handler's span continues the writer's trace, in this process or another. A save outside any
 * observation writes nothing, and its events start no trace in their subscribers.
 */
public final class AetherObservations {

    /** The name of the observation around a save. */
    public static final String SAVE = "aether.save";
    /** The name of the observation around an {@code @AetherSubscriber} call. */
    public static final String HANDLE = "aether.handle";
    /** The metadata key of the W3C trace context of the save that wrote the event. */
    public static final String TRACEPARENT = "traceparent";
    /** The metadata key of the W3C vendor trace state, when the writer's trace has one. */
    public static final String TRACESTATE = "tracestate";

    /** Tag: the store type, {@code memory} or {@code jetstream}. */
    public static final String STORE_TYPE = "aether.store.type";
    /** Tag: the namespace saved into (on {@value #HANDLE}, high-cardinality: the event's namespace). */
    public static final String NAMESPACE = "aether.namespace";
    /** Tag: the namespace pattern the subscriber listens to. */
    public static final String NAMESPACE_PATTERN = "aether.namespace.pattern";
    /** Tag: the event type; {@code mixed} for a batch of several types. */
    public static final String EVENT_TYPE = "aether.event.type";
    /** Tag: the id of the {@code @AetherSubscriber} method. */
    public static final String SUBSCRIBER_ID = "aether.subscriber.id";
    /** Tag: how the call ended. */
    public static final String OUTCOME = "outcome";
    /** High-cardinality tag: the actor id. */
    public static final String ACTOR_ID = "aether.actor.id";
    /** High-cardinality tag: the event id. */
    public static final String EVENT_ID = "aether.event.id";

    private final ObservationRegistry registry;
    private final String storeType;

    /**
     * @param registry  where observations are made
     * @param storeType the {@value #STORE_TYPE} tag
     */
    public AetherObservations(ObservationRegistry registry, String storeType) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.storeType = Objects.requireNonNull(storeType, "storeType must not be null");
    }

    /** @return observations that record nothing */
    public static AetherObservations none() {
        return new AetherObservations(ObservationRegistry.NOOP, "none");
    }

    /**
     * @param events    the events of one save call
     * @param namespace the namespace they are saved into
     * @return a {@value #SAVE} observation, not started
     */
    public Observation save(List<Event> events, String namespace) {
        EventSaveContext context = new EventSaveContext(events, namespace);
        String type = events.stream().map(Event::eventType).distinct().count() == 1 ? events.get(0).eventType() : "mixed";
        String actors = events.stream().map(Event::actorId).distinct().count() == 1 ? events.get(0).actorId() : "several";
        return Observation.createNotStarted(SAVE, () -> context, registry).contextualName("aether save " + type)
                .lowCardinalityKeyValue(STORE_TYPE, storeType).lowCardinalityKeyValue(NAMESPACE, namespace)
                .lowCardinalityKeyValue(EVENT_TYPE, type).highCardinalityKeyValue(ACTOR_ID, actors);
    }

    /**
     * @param subscriberId     the subscriber's id
     * @param namespacePattern the pattern it listens to
     * @param namespace        the event's namespace
     * @param event            the event
     * @return a {@value #HANDLE} observation, not started, continuing the trace in the event's metadata
     */
    public Observation handle(String subscriberId, String namespacePattern, String namespace, Event event) {
        EventHandleContext context = new EventHandleContext(event, namespace, subscriberId);
        return Observation.createNotStarted(HANDLE, () -> context, registry)
                .contextualName("aether handle " + event.eventType())
                .lowCardinalityKeyValue(STORE_TYPE, storeType).lowCardinalityKeyValue(NAMESPACE_PATTERN, namespacePattern)
                .lowCardinalityKeyValue(EVENT_TYPE, event.eventType()).lowCardinalityKeyValue(SUBSCRIBER_ID, subscriberId)
                .highCardinalityKeyValue(ACTOR_ID, event.actorId()).highCardinalityKeyValue(EVENT_ID, event.id())
                .highCardinalityKeyValue(NAMESPACE, namespace);
    }
}
