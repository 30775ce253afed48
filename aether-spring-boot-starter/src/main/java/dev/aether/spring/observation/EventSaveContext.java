package dev.aether.spring.observation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.aether.Event;
import io.micrometer.observation.transport.SenderContext;

/**
 * The context of an {@value AetherObservations#SAVE} observation: the events being saved, the
 * namespace they are saved into, and a carrier into which a tracer writes its propagation fields
 * ({@code traceparent}, {@code tracestate}) when the observation starts.
 */
public final class EventSaveContext extends SenderContext<Map<String, String>> {

    private final List<Event> events;
    private final String namespace;

    EventSaveContext(List<Event> events, String namespace) {
        super((carrier, key, value) -> carrier.put(key, value));
        this.events = List.copyOf(events);
        this.namespace = namespace;
        setCarrier(new LinkedHashMap<>());
        setRemoteServiceName("aether");
    }

    /** @return the events being saved, one for {@code saveEvent} */
    public List<Event> events() {
        return events;
    }

    /** @return the namespace the events are saved into */
    public String namespace() {
        return namespace;
    }

    /**
     * @return the propagation fields the tracer wrote when the observation started, to be saved with
     *         the events; empty without a tracer, and empty when the save runs outside any observation
     *         (no trace to continue)
     */
    public Map<String, String> traceContext() {
        return getParentObservation() == null ? Map.of() : Map.copyOf(getCarrier());
    }
}
