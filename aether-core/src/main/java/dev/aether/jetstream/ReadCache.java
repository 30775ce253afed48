package dev.aether.jetstream;

import dev.aether.Event;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The complete histories of recently read or saved actors, bounded by their total number of events
 * and evicted whole, least recently used first. An entry is only a shortcut: the reader asks the
 * server for the actor's latest message before it serves one, and serves it only if the message at
 * the entry's last sequence is still the one it cached (see {@link #fingerprint(byte[], String)}).
 * An actor with more events than the bound is not cached. Thread-safe.
 */
final class ReadCache {

    private final int maxEvents;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long events;

    /** @param maxEvents the most events held over all actors; 0 holds nothing */
    ReadCache(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    /** @return the entry of the actor's subject, or null; counts as a use for eviction */
    synchronized Entry get(String subject) {
        return entries.get(subject);
    }

    /**
     * Stores the entry of the subject, evicting the least recently used actors beyond the bound, unless
     * the entry held already reaches further (a concurrent save or read got there first).
     */
    synchronized void put(String subject, Entry entry) {
        if (maxEvents == 0) {
            return;
        }
        Entry old = entries.get(subject);
        if (old != null && old.lastSequence() > entry.lastSequence()) {
            return;
        }
        entries.remove(subject);
        if (old != null) {
            events -= old.events().size();
        }
        if (entry.events().size() > maxEvents) {
            return;
        }
        Iterator<Entry> eldest = entries.values().iterator();
        while (events + entry.events().size() > maxEvents && eldest.hasNext()) {
            events -= eldest.next().events().size();
            eldest.remove();
        }
        entries.put(subject, entry);
        events += entry.events().size();
    }

    /** Drops the subject's entry if it is still {@code stale}. */
    synchronized void remove(String subject, Entry stale) {
        if (entries.remove(subject, stale)) {
            events -= stale.events().size();
        }
    }

    /**
     * Records a message this store wrote: appended to the actor's entry if that ends at the message's
     * previous sequence, or the whole history of an actor whose first message it is.
     *
     * @param subject          the actor's subject
     * @param previousSequence the sequence the message expected as the actor's last, 0 for none
     * @param written          the events of the message
     * @param sequence         where the server stored it
     * @param fingerprint      its {@link #fingerprint(byte[], String)}
     */
    synchronized void written(String subject, long previousSequence, List<Event> written, long sequence,
                              long fingerprint) {
        if (maxEvents == 0) {
            return;
        }
        Entry current = entries.get(subject);
        if (current != null && current.lastSequence() == previousSequence) {
            put(subject, current.append(written, sequence, fingerprint));
        } else if (previousSequence == 0) {
            put(subject, new Entry(List.copyOf(written), sequence, fingerprint));
        } else if (current != null) {
            remove(subject, current);
        }
    }

    /** @return the most events held over all actors */
    int maxEvents() {
        return maxEvents;
    }

    /** @return whether this cache holds anything at all */
    boolean enabled() {
        return maxEvents > 0;
    }

    /** @return the number of events held over all actors */
    synchronized long cachedEvents() {
        return events;
    }

    /**
     * A cheap identity of a stored message, compared instead of decoding it: a 64-bit hash of its body
     * and its {@code Nats-Expected-Last-Subject-Sequence} header. A message at the same sequence with
     * another body or another predecessor (a recreated or purged stream) has another fingerprint.
     *
     * @param body             the message body
     * @param previousSequence the header's value, or null when absent
     * @return the fingerprint
     */
    static long fingerprint(byte[] body, String previousSequence) {
        long hash = 1125899906842597L;
        if (body != null) {
            for (byte b : body) {
                hash = 31 * hash + b;
            }
        }
        return 31 * hash + (previousSequence == null ? -1 : previousSequence.hashCode());
    }

    /**
     * The complete history of one actor as far as the stream held it.
     *
     * @param events       every event of the actor, in version order, unmodifiable
     * @param lastSequence the stream sequence of the actor's last message
     * @param fingerprint  the {@link #fingerprint(byte[], String)} of that message
     */
    record Entry(List<Event> events, long lastSequence, long fingerprint) {

        /** @return this history followed by the events of newer messages, the last stored at {@code sequence} */
        Entry append(List<Event> newer, long sequence, long newFingerprint) {
            Event[] all = events.toArray(new Event[events.size() + newer.size()]);
            int i = events.size();
            for (Event event : newer) {
                all[i++] = event;
            }
            return new Entry(Collections.unmodifiableList(Arrays.asList(all)), sequence, newFingerprint);
        }

        /** @return the events at or above {@code fromVersion}, a view of this entry's list */
        List<Event> from(long fromVersion) {
            int low = 0;
            int high = events.size();
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (events.get(middle).version() < fromVersion) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low == 0 ? events : events.subList(low, events.size());
        }
    }

    @Override
    public synchronized String toString() {
        return "ReadCache[" + entries.size() + " actors, " + events + " of " + maxEvents + " events]";
    }
}
