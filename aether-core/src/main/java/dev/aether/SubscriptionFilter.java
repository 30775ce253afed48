package dev.aether;

import java.util.Set;

/**
 * Narrows a subscription to some event types and actors.
 *
 * @param eventTypes   the event types to deliver; empty means every type
 * @param actorPattern a pattern over the actor id's dot-separated tokens with the wildcard rules of
 *                     {@link NamespacePattern} ({@code order-*} is a literal token; {@code orders.*}
 *                     matches {@code orders.1}); {@code null} or empty means every actor
 */
public record SubscriptionFilter(Set<String> eventTypes, String actorPattern) {

    private static final SubscriptionFilter ALL = new SubscriptionFilter(Set.of(), null);

    /** Validates the filter and copies the type set. */
    public SubscriptionFilter {
        if (eventTypes == null) {
            throw new NullPointerException("eventTypes must not be null (use an empty set for every type)");
        }
        for (String type : eventTypes) {
            if (type == null || type.isBlank()) {
                throw new IllegalArgumentException("eventTypes must not contain null or blank types");
            }
        }
        eventTypes = Set.copyOf(eventTypes);
        if (actorPattern != null && actorPattern.isEmpty()) {
            actorPattern = null;
        }
        if (actorPattern != null) {
            TokenPattern.parse(actorPattern, "actorPattern");
        }
    }

    /** @return a filter that delivers every event */
    public static SubscriptionFilter all() {
        return ALL;
    }

    /**
     * @param eventTypes the types to deliver; none means every type
     * @return a filter on event types, for any actor
     */
    public static SubscriptionFilter eventTypes(String... eventTypes) {
        return new SubscriptionFilter(Set.of(eventTypes), null);
    }

    /**
     * @param pattern the actor pattern; null or empty for every actor
     * @return a copy of this filter with the given actor pattern
     */
    public SubscriptionFilter withActorPattern(String pattern) {
        return new SubscriptionFilter(eventTypes, pattern);
    }

    /**
     * @param event an event
     * @return whether this filter lets the event through
     */
    public boolean matches(Event event) {
        if (!eventTypes.isEmpty() && !eventTypes.contains(event.eventType())) {
            return false;
        }
        return actorPattern == null || TokenPattern.matches(actorPattern, event.actorId());
    }
}
