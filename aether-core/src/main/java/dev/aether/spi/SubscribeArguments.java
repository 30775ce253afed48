package dev.aether.spi;

import dev.aether.EventBus;
import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.NamespacePattern;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import java.util.Objects;

/**
 * The checks every {@link EventBus#subscribe} and {@link EventSubscriptions#subscribe} makes on its
 * arguments, so that every implementation refuses the same input with the same message.
 */
public final class SubscribeArguments {

    private SubscribeArguments() {
    }

    /**
     * @param namespacePattern a namespace pattern
     * @param filter           the filter, not null
     * @param handler          the handler, not null
     * @return the parsed pattern
     * @throws IllegalArgumentException if the pattern is malformed
     * @throws NullPointerException     if an argument is null, naming it
     */
    public static NamespacePattern check(String namespacePattern, SubscriptionFilter filter, EventHandler handler) {
        NamespacePattern pattern = NamespacePattern.of(namespacePattern);
        Objects.requireNonNull(filter, "filter must not be null (use SubscriptionFilter.all())");
        Objects.requireNonNull(handler, "handler must not be null");
        return pattern;
    }

    /**
     * @param namespacePattern a namespace pattern
     * @param filter           the filter, not null
     * @param handler          the handler, not null
     * @param options          the options, not null
     * @return the parsed pattern
     * @throws IllegalArgumentException if the pattern is malformed
     * @throws NullPointerException     if an argument is null, naming it
     */
    public static NamespacePattern check(String namespacePattern, SubscriptionFilter filter, EventHandler handler,
                                         SubscriptionOptions options) {
        NamespacePattern pattern = check(namespacePattern, filter, handler);
        Objects.requireNonNull(options, "options must not be null");
        return pattern;
    }
}
