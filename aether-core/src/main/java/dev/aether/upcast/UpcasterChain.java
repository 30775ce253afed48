package dev.aether.upcast;

import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.SubscriptionFilter;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every {@link EventUpcaster} of an application, applied in turn to bring an event from the schema
 * version it was stored in to today's: (type, n) to (type', n + 1) to ... until no step reads the
 * result. An event of a type no step reads is returned as it is.
 *
 * <p>{@link #of(Collection)} refuses two steps reading the same (type, version) and a gap between the
 * versions one type's steps read, such as steps from 1 and 3 without 2. A gap below a type's first step
 * can only be seen on read: an event at version 1 of a type whose steps start at 2 fails then. Both
 * report a {@link MissingUpcasterException} naming the type and the two versions.
 */
public final class UpcasterChain {

    private static final UpcasterChain EMPTY = new UpcasterChain(Map.of(), Map.of());

    private final Map<String, Map<Integer, EventUpcaster>> steps;
    private final Map<String, Integer> firstVersions;

    private UpcasterChain(Map<String, Map<Integer, EventUpcaster>> steps, Map<String, Integer> firstVersions) {
        this.steps = steps;
        this.firstVersions = firstVersions;
    }

    /** @return a chain with no steps, which returns every event as it is */
    public static UpcasterChain empty() {
        return EMPTY;
    }

    /**
     * @param upcasters the steps, in any order
     * @return the chain
     * @throws IllegalArgumentException  if two steps read the same type and version
     * @throws MissingUpcasterException if a type's steps leave out a version between their first and last
     */
    public static UpcasterChain of(Collection<? extends EventUpcaster> upcasters) {
        Map<String, Map<Integer, EventUpcaster>> steps = new HashMap<>();
        for (EventUpcaster upcaster : upcasters) {
            Objects.requireNonNull(upcaster, "upcasters must not contain null");
            SchemaVersion.require(upcaster.fromVersion());
            EventUpcaster previous = steps.computeIfAbsent(upcaster.eventType(), type -> new HashMap<>())
                    .put(upcaster.fromVersion(), upcaster);
            if (previous != null) {
                throw new IllegalArgumentException("Two upcasters read " + upcaster.eventType() + " at schema version "
                        + upcaster.fromVersion() + ": " + previous + " and " + upcaster);
            }
        }
        Map<String, Integer> firstVersions = new HashMap<>();
        steps.forEach((type, byVersion) -> {
            TreeSet<Integer> versions = new TreeSet<>(byVersion.keySet());
            for (int version = versions.first(); version < versions.last(); version++) {
                if (!versions.contains(version)) {
                    throw new MissingUpcasterException(type, version, "its upcasters read versions " + versions);
                }
            }
            firstVersions.put(type, versions.first());
        });
        for (EventUpcaster upcaster : upcasters) {
            Integer first = firstVersions.get(upcaster.toEventType());
            int written = upcaster.fromVersion() + 1;
            if (!upcaster.toEventType().equals(upcaster.eventType()) && first != null && first > written) {
                throw new MissingUpcasterException(upcaster.toEventType(), written, upcaster + " writes version "
                        + written + " but the upcasters of " + upcaster.toEventType() + " start at " + first);
            }
        }
        steps.replaceAll((type, byVersion) -> Map.copyOf(byVersion));
        return new UpcasterChain(Map.copyOf(steps), Map.copyOf(firstVersions));
    }

    /** @return whether the chain has no steps */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * Brings an event to today's schema version.
     *
     * @param event an event as stored
     * @return the event itself when no step reads it, else a copy with the upcast type, data and
     *         {@value SchemaVersion#KEY} metadata, and the same id, actor, version and timestamp
     * @throws MissingUpcasterException if the type has steps, but none from the event's version
     * @throws IllegalArgumentException if the event's schema version is malformed, or a step returns data
     *                                  that is not JSON compatible (naming the field)
     */
    public Event upcast(Event event) {
        if (steps.isEmpty()) {
            return event;
        }
        Event current = event;
        int version = SchemaVersion.of(event);
        while (true) {
            Map<Integer, EventUpcaster> byVersion = steps.get(current.eventType());
            if (byVersion == null) {
                return current;
            }
            EventUpcaster step = byVersion.get(version);
            if (step == null) {
                if (version < firstVersions.get(current.eventType())) {
                    throw new MissingUpcasterException(current.eventType(), version, "reading event " + event.id()
                            + " of actor " + event.actorId() + " at version " + event.version());
                }
                return current;
            }
            version++;
            current = current.toBuilder().eventType(step.toEventType()).data(step.upcast(current))
                    .metadata(SchemaVersion.KEY, Integer.toString(version)).build();
        }
    }

    /**
     * @param events events as stored
     * @return each brought to today's schema version, in the same order, unmodifiable
     */
    public List<Event> upcast(List<Event> events) {
        return steps.isEmpty() ? events : events.stream().map(this::upcast).toList();
    }

    /**
     * @param filter a filter on today's event types
     * @return the filter to subscribe with, so that events stored under a type's older names are read too
     */
    public SubscriptionFilter storedFilter(SubscriptionFilter filter) {
        Objects.requireNonNull(filter, "filter must not be null");
        if (filter.eventTypes().isEmpty()) {
            return filter;
        }
        Set<String> stored = typesUpcastingTo(filter.eventTypes());
        return stored.equals(filter.eventTypes()) ? filter : new SubscriptionFilter(stored, filter.actorPattern());
    }

    /**
     * @param filter  the filter on today's event types the handler asked for
     * @param handler the handler
     * @return a handler, for a subscription with {@link #storedFilter(SubscriptionFilter)}, that upcasts
     *         each event and passes it on when {@code filter} matches it
     */
    public EventHandler handler(SubscriptionFilter filter, EventHandler handler) {
        Objects.requireNonNull(filter, "filter must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        return new EventHandler() {
            @Override
            public void handle(String namespace, Event event) {
                Event upcast = upcast(event);
                if (filter.matches(upcast)) {
                    handler.handle(namespace, upcast);
                }
            }

            @Override
            public void parked(String namespace, Event event, int deliveries, Throwable failure) {
                handler.parked(namespace, event, deliveries, failure);
            }
        };
    }

    /**
     * The stored types whose events may reach one of the given types after upcasting, so that a filter
     * on today's types can be widened to what is stored.
     *
     * @param eventTypes today's types
     * @return those types and every type a chain of renames leads from to one of them
     */
    public Set<String> typesUpcastingTo(Set<String> eventTypes) {
        Set<String> result = new HashSet<>(eventTypes);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map<Integer, EventUpcaster> byVersion : steps.values()) {
                for (EventUpcaster step : byVersion.values()) {
                    if (result.contains(step.toEventType()) && result.add(step.eventType())) {
                        grew = true;
                    }
                }
            }
        }
        return Set.copyOf(result);
    }
}
