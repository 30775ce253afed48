package dev.aether.spi;

import dev.aether.EventBus;
import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.NamespacePattern;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks every {@link EventBus#subscribe} and {@link EventSubscriptions#subscribe} makes on its
 * arguments, so that every implementation refuses the same input with the same message.
 */
public final class SubscribeArguments {

    private static final Pattern SUBSCRIPTION_NAME = Pattern.compile("[A-Za-z0-9_-]+");

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

    /**
     * The check every {@link dev.aether.ParkedEvents} method makes on the subscription it names.
     *
     * @param subscription a durable name, or the generated name of a non-durable subscription
     * @return the name
     * @throws IllegalArgumentException if it is malformed
     * @throws NullPointerException     if it is null
     */
    public static String checkSubscriptionName(String subscription) {
        Objects.requireNonNull(subscription, "subscription must not be null");
        if (!SUBSCRIPTION_NAME.matcher(subscription).matches()) {
            throw new IllegalArgumentException("subscription '" + subscription
                    + "' is malformed: it must be a durable name, [A-Za-z0-9_-]+");
        }
        return subscription;
    }
}
