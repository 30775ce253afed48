package dev.aether.spring.observation;

import dev.aether.Event;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * The context of an {@value AetherObservations#HANDLE} observation: the event handed to an
 * {@code @AetherSubscriber} method, whose metadata is the carrier a tracer reads the writer's trace
 * context from.
 */
public final class EventHandleContext extends ReceiverContext<Event> {

    private final String subscriberId;
    private final String namespace;

    EventHandleContext(Event event, String namespace, String subscriberId) {
        super((carrier, key) -> carrier.metadata().get(key));
        this.subscriberId = subscriberId;
        this.namespace = namespace;
        setCarrier(event);
        setRemoteServiceName("aether");
    }

    /** @return the event being handled */
    public Event event() {
        return getCarrier();
    }

    /** @return the namespace the event was saved in */
    public String namespace() {
        return namespace;
    }

    /** @return the id of the {@code @AetherSubscriber} method */
    public String subscriberId() {
        return subscriberId;
    }
}
