package dev.aether.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.aether.NamespacePattern;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.typed.EventTypes;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link AetherSubscriber @AetherSubscriber} methods on beans, checks them, resolves their
 * placeholders and registers them with the {@link AetherSubscriberRegistry}. It never subscribes:
 * the registry starts the subscriptions once the context is refreshed.
 */
public final class AetherSubscriberAnnotationBeanPostProcessor
        implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    private static final String DEFAULT_NAMESPACE = "${aether.namespace:default}";

    private final Set<Class<?>> classesWithoutSubscribers = ConcurrentHashMap.newKeySet();
    private final List<AetherSubscriberEndpoint> pending = new ArrayList<>();
    private ConfigurableBeanFactory beanFactory;
    private AetherSubscriberRegistry registry;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableBeanFactory) beanFactory;
    }

    /** Finds the annotated methods of a bean and registers them. */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (classesWithoutSubscribers.contains(targetClass)) {
            return bean;
        }
        Map<Method, AetherSubscriber> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<AetherSubscriber>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, AetherSubscriber.class));
        if (methods.isEmpty()) {
            classesWithoutSubscribers.add(targetClass);
            return bean;
        }
        methods.forEach((method, annotation) -> register(endpoint(bean, beanName, targetClass, method, annotation)));
        return bean;
    }

    /** Hands the endpoints found so far to the registry; later ones go to it directly. */
    @Override
    public void afterSingletonsInstantiated() {
        AetherSubscriberRegistry found = beanFactory.getBeanProvider(AetherSubscriberRegistry.class).getIfAvailable();
        List<AetherSubscriberEndpoint> toRegister;
        synchronized (pending) {
            if (found == null) {
                if (!pending.isEmpty()) {
                    throw new IllegalStateException("@AetherSubscriber methods were found (" + pending.get(0).id()
                            + ", ...) but there is no AetherSubscriberRegistry bean to run them");
                }
                return;
            }
            registry = found;
            toRegister = new ArrayList<>(pending);
            pending.clear();
        }
        toRegister.forEach(found::register);
    }

    private void register(AetherSubscriberEndpoint endpoint) {
        AetherSubscriberRegistry target;
        synchronized (pending) {
            target = registry;
            if (target == null) {
                pending.add(endpoint);
                return;
            }
        }
        target.register(endpoint);
    }

    private AetherSubscriberEndpoint endpoint(Object bean, String beanName, Class<?> targetClass, Method method,
                                              AetherSubscriber annotation) {
        String where = targetClass.getName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()
                        .toString().replace('[', '(').replace(']', ')');
        if (!AetherSubscriberEndpoint.hasSupportedSignature(method)) {
            throw new BeanInitializationException("@AetherSubscriber method " + where
                    + " must take (Event) or (String namespace, Event event), or a registered event class"
                    + " ((OrderPlaced placed) or (OrderPlaced placed, Event event)) in place of or beside the Event");
        }
        try {
            String namespace = resolve(annotation.namespace());
            if (namespace.isEmpty()) {
                namespace = resolve(DEFAULT_NAMESPACE);
            }
            NamespacePattern.of(namespace);
            List<String> types = new ArrayList<>();
            for (String type : annotation.eventTypes()) {
                types.add(resolve(type));
            }
            EventTypes eventTypes = eventTypesFor(method);
            SubscriptionFilter filter = SubscriptionFilter.eventTypes(typedFilter(method, eventTypes, types))
                    .withActorPattern(resolve(annotation.actor()));
            String durable = StringUtils.hasText(annotation.durable()) ? resolve(annotation.durable()) : null;
            int partitions = partitions(resolve(annotation.partitions()));
            SubscriptionOptions.builder().durableName(durable).partitions(partitions).build();
            String id = StringUtils.hasText(annotation.id()) ? resolve(annotation.id()) : beanName + "." + method.getName();
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            return new AetherSubscriberEndpoint(id, bean, invocable, namespace, filter, durable,
                    annotation.startFrom().toStartPosition(), eventTypes, partitions);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new BeanInitializationException("@AetherSubscriber method " + where + " is misconfigured: "
                    + ex.getMessage(), ex);
        }
    }

    /** The registered types, looked up only for a method that takes an event class. */
    private EventTypes eventTypesFor(Method method) {
        if (AetherSubscriberEndpoint.payloadType(method) == null) {
            return EventTypes.empty();
        }
        return beanFactory.getBeanProvider(EventTypes.class).getIfUnique(EventTypes::empty);
    }

    /** A method taking an event class receives that class's event type, and no other. */
    private static String[] typedFilter(Method method, EventTypes eventTypes, List<String> types) {
        Class<?> payload = AetherSubscriberEndpoint.payloadType(method);
        if (payload == null) {
            return types.toArray(String[]::new);
        }
        String registered = eventTypes.requireEventTypeOf(payload);
        if (!types.isEmpty() && !types.equals(List.of(registered))) {
            throw new IllegalArgumentException("it takes " + payload.getName() + ", registered as event type "
                    + registered + ", but eventTypes lists " + types);
        }
        return new String[] {registered};
    }

    private static int partitions(String value) {
        if (value.isEmpty()) {
            return SubscriptionOptions.DEFAULT_PARTITIONS;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("partitions must be a whole number, was '" + value + "'", e);
        }
    }

    private String resolve(String value) {
        String resolved = beanFactory.resolveEmbeddedValue(value);
        return resolved == null ? "" : resolved.strip();
    }
}
