package dev.aether.spring;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Objects;

import dev.aether.Event;
import dev.aether.StartPosition;
import dev.aether.EventHandler;
import dev.aether.SubscriptionFilter;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link AetherSubscriber @AetherSubscriber} method, with its attributes resolved.
 *
 * @param id               the id for logs and metrics
 * @param bean             the bean that declares the method
 * @param method           the method, taking {@code (Event)} or {@code (String, Event)}
 * @param namespacePattern the namespace pattern to subscribe to
 * @param filter           the event-type and actor filter
 * @param durableName      the durable name, or null for a per-process subscription
 * @param startPosition    where the subscription starts when it has no kept position
 */
public record AetherSubscriberEndpoint(String id, Object bean, Method method, String namespacePattern,
                                       SubscriptionFilter filter, String durableName, StartPosition startPosition) {

    /** Checks that every part is present. */
    public AetherSubscriberEndpoint {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(bean, "bean must not be null");
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(namespacePattern, "namespacePattern must not be null");
        Objects.requireNonNull(filter, "filter must not be null");
        Objects.requireNonNull(startPosition, "startPosition must not be null");
        ReflectionUtils.makeAccessible(method);
    }

    /**
     * @return a handler that calls the method; an exception it throws is rethrown as is when unchecked,
     *         wrapped in an {@link IllegalStateException} when checked
     */
    public EventHandler handler() {
        boolean withNamespace = method.getParameterCount() == 2;
        return (namespace, event) -> invoke(withNamespace ? new Object[] {namespace, event} : new Object[] {event});
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
     * @return whether it takes {@code (Event)} or {@code (String namespace, Event event)}
     */
    static boolean hasSupportedSignature(Method method) {
        Class<?>[] types = method.getParameterTypes();
        return (types.length == 1 && types[0] == Event.class)
                || (types.length == 2 && types[0] == String.class && types[1] == Event.class);
    }
}
