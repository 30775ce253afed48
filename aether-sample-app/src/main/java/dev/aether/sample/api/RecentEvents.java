package dev.aether.sample.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The latest events a subscriber received, newest first, up to a fixed number; thread-safe. */
public final class RecentEvents {

    private final int capacity;
    private final Deque<EventView> events = new ArrayDeque<>();

    /** @param capacity how many events are kept */
    public RecentEvents(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Keeps an event, dropping the oldest when full.
     *
     * @param event the newest event
     */
    public synchronized void add(EventView event) {
        events.addFirst(event);
        if (events.size() > capacity) {
            events.removeLast();
        }
    }

    /** @return the kept events, newest first */
    public synchronized List<EventView> list() {
        return List.copyOf(events);
    }
}
