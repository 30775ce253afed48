package dev.aether.spi;

import dev.aether.Event;
import dev.aether.EventStore;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The events of one {@link EventStore#saveEvents(List)} call, checked once so that every store
 * refuses the same input with the same message: not empty, one actor, versions strictly increasing,
 * no event id twice.
 *
 * @param events the events, in the order given; an immutable copy
 */
public record EventBatch(List<Event> events) {

    /**
     * @throws NullPointerException     if {@code events} or one of them is null
     * @throws IllegalArgumentException if a rule above is broken; the message names it
     */
    public EventBatch {
        Objects.requireNonNull(events, "events must not be null");
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("events must not be empty: a batch holds at least one event");
        }
        Event first = events.get(0);
        Set<String> ids = new HashSet<>();
        Event previous = null;
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (!event.actorId().equals(first.actorId())) {
                throw new IllegalArgumentException("events must all belong to one actor: event " + i + " is of actor '"
                        + event.actorId() + "', event 0 of actor '" + first.actorId() + "'");
            }
            if (previous != null && event.version() <= previous.version()) {
                throw new IllegalArgumentException("event versions must strictly increase within a batch: event " + i
                        + " has version " + event.version() + " after version " + previous.version());
            }
            if (!ids.add(event.id())) {
                throw new IllegalArgumentException("event ids must be distinct within a batch: id " + event.id()
                        + " appears twice");
            }
            previous = event;
        }
    }

    /**
     * @param events the events of a {@code saveEvents} call
     * @return the checked batch
     */
    public static EventBatch of(List<Event> events) {
        return new EventBatch(events);
    }

    /** @return the actor all events belong to */
    public String actorId() {
        return events.get(0).actorId();
    }

    /** @return the first event's version, the one a conflict reports as attempted */
    public long firstVersion() {
        return events.get(0).version();
    }

    /** @return the last event's version, the actor's latest once the batch is stored */
    public long lastVersion() {
        return events.get(events.size() - 1).version();
    }

    /** @return how many events the batch holds */
    public int size() {
        return events.size();
    }
}
