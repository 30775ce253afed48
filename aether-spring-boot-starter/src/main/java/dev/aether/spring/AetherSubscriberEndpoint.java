package dev.aether.spring;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Objects;

import dev.aether.Event;
import dev.aether.StartPosition;
import dev.aether.EventHandler;
import dev.aether.SubscriptionFilter;
import dev.aether.typed.EventTypes;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link AetherSubscriber @AetherSubscriber} method, with its attributes resolved.
 *
 * @param id               the id for logs and metrics
 * @param bean             the bean that declares the method
 * @param method           the method, taking {@code (Event)} or {@code (String, Event)}, or a registered
 *                         event class in place of or beside the {@code Event} (see {@link #hasSupportedSignature})
 * @param namespacePattern the namespace pattern to subscribe to
 * @param filter           the event-type and actor filter
 * @param durableName      the durable name, or null for a per-process subscription
 * @param startPosition    where the subscription starts when it has no kept position
 * @param eventTypes       reads the event's data when the method takes a registered event class
 * @param partitions       the partition count of a durable subscription, 1 for none
 */
public record AetherSubscriberEndpoint(String id, Object bean, Method method, String namespacePattern,
                                       SubscriptionFilter filter, String durableName, StartPosition startPosition,
                                       EventTypes eventTypes, int partitions) {


    /**
     * Checks that every part is present and that an event class the method takes is registered.
     *
     * @throws IllegalArgumentException naming the class when the method takes one that is not registered
     */
    public AetherSubscriberEndpoint {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(bean, "bean must not be null");
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(namespacePattern, "namespacePattern must not be null");
        Objects.requireNonNull(filter, "filter must not be null");
        Objects.requireNonNull(startPosition, "startPosition must not be null");
        Objects.requireNonNull(eventTypes, "eventTypes must not be null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        Class<?> payload = payloadType(method);
        if (payload != null) {
            eventTypes.requireEventTypeOf(payload);
        }
        ReflectionUtils.makeAccessible(method);
    }

    /**
     * An endpoint whose method takes no event class.
     *
     * @param id               the id for logs and metrics
     * @param bean             the bean that declares the method
     * @param method           the method, taking {@code (Event)} or {@code (String, Event)}
     * @param namespacePattern the namespace pattern to subscribe to
     * @param filter           the event-type and actor filter
     * @param durableName      the durable name, or null for a per-process subscription
     * @param startPosition    where the subscription starts when it has no kept position
     */
    public AetherSubscriberEndpoint(String id, Object bean, Method method, String namespacePattern,
                                    SubscriptionFilter filter, String durableName, StartPosition startPosition) {
        this(id, bean, method, namespacePattern, filter, durableName, startPosition, EventTypes.empty(), 1);
    }

    /**
     * An endpoint of an unpartitioned subscription.
     *
     * @param id               the id for logs and metrics
     * @param bean             the bean that declares the method
     * @param method           the method
     * @param namespacePattern the namespace pattern to subscribe to
     * @param filter           the event-type and actor filter
     * @param durableName      the durable name, or null for a per-process subscription
     * @param startPosition    where the subscription starts when it has no kept position
     * @param eventTypes       reads the event's data when the method takes a registered event class
     */
    public AetherSubscriberEndpoint(String id, Object bean, Method method, String namespacePattern,
                                    SubscriptionFilter filter, String durableName, StartPosition startPosition,
                                    EventTypes eventTypes) {
        this(id, bean, method, namespacePattern, filter, durableName, startPosition, eventTypes, 1);
    }

    /**
     * @param newFilter another filter
     * @return a copy of this endpoint with that filter
     */
    public AetherSubscriberEndpoint withFilter(SubscriptionFilter newFilter) {
        return new AetherSubscriberEndpoint(id, bean, method, namespacePattern, newFilter, durableName, startPosition,
                eventTypes, partitions);
    }

    /**
     * @return a handler that calls the method; an exception it throws is rethrown as is when unchecked,
     *         wrapped in an {@link IllegalStateException} when checked
     */
    public EventHandler handler() {
        Class<?>[] types = method.getParameterTypes();
        return (namespace, event) -> {
            Object[] arguments = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                arguments[i] = types[i] == String.class ? namespace
                        : types[i] == Event.class ? event
                        : eventTypes.read(event, types[i]);
            }
            invoke(arguments);
        };
    }

    private void invoke(Object[] arguments) {
        try {
            method.invoke(bean, arguments);
        } catch (InvocationTargetException ex) {
            Throwable cause = ex.getTargetException();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("@AetherSubscriber " + id + " threw " + cause, cause);
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException("@AetherSubscriber " + id + " cannot be called", ex);
        }
    }

    /**
     * @param method a method
     * @return whether it takes an optional {@code String namespace} first, then an {@code Event}, an event
     *         class, or both in either order: {@code (Event)}, {@code (String, Event)}, {@code (OrderPlaced)},
     *         {@code (OrderPlaced, Event)}, {@code (String, OrderPlaced, Event)}...
     */
    static boolean hasSupportedSignature(Method method) {
        Class<?>[] types = method.getParameterTypes();
        int first = types.length > 0 && types[0] == String.class ? 1 : 0;
        int events = 0;
        int payloads = 0;
        for (int i = first; i < types.length; i++) {
            if (types[i] == Event.class) {
                events++;
            } else if (isPayloadType(types[i])) {
                payloads++;
            } else {
                return false;
            }
        }
        return events <= 1 && payloads <= 1 && events + payloads >= 1;
    }

    /**
     * @param method a method with a supported signature
     * @return the event class it takes, or null when it takes only the {@code Event}
     */
    static Class<?> payloadType(Method method) {
        for (Class<?> type : method.getParameterTypes()) {
            if (isPayloadType(type)) {
                return type;
            }
        }
        return null;
    }

    private static boolean isPayloadType(Class<?> type) {
        return type != Event.class && type != String.class && !type.isPrimitive() && !type.isArray();
    }
}
