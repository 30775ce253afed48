package dev.aether.spring.autoconfigure;

import dev.aether.typed.EventTypes;

/**
 * Registers event classes in the starter's {@link EventTypes} bean; declare one bean per module.
 *
 * <pre>{@code
 * @Bean
 * EventTypesCustomizer orderEvents() {
 *     return types -> types.register(OrderPlaced.class).register("OrderShipped", OrderShipped.class);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface EventTypesCustomizer {

    /** @param types the registry being built */
    void customize(EventTypes.Builder types);
}
