package dev.aether.jetstream;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * What one stream reader has handed to the delivery loop, per actor subject, and the consumer's ack
 * floor: every message at or below it was acknowledged by some member of the durable group (or lies
 * before the subscription's start). Tells whether a message's predecessor (its
 * {@code Nats-Expected-Last-Subject-Sequence}) has been dealt with, and whether a delivery is a late
 * copy of a message already dealt with. Sequences at or below the floor are forgotten; the floor only
 * rises. Used by the reader's thread only: not thread-safe.
 */
final class HandedSequences {

    private final Map<String, NavigableSet<Long>> bySubject = new HashMap<>();
    /** Per subject, the last message an earlier owner of the partition dealt with, and every one before it. */
    private final Map<String, Long> inherited = new HashMap<>();
    private long floor;

    /**
     * Records that the subject's messages up to this sequence were dealt with by the partition's earlier
     * owner (handled, parked, or skipped by the filter), acknowledged or not.
     */
    void inherit(String subject, long upTo) {
        if (upTo > floor) {
            inherited.merge(subject, upTo, Math::max);
        }
    }

    /** @param ackFloor the consumer's ack floor (a stream sequence) as the server reports it now */
    void raiseFloor(long ackFloor) {
        if (ackFloor <= floor) {
            return;
        }
        floor = ackFloor;
        inherited.values().removeIf(upTo -> upTo <= ackFloor);
        Iterator<NavigableSet<Long>> sets = bySubject.values().iterator();
        while (sets.hasNext()) {
            NavigableSet<Long> sequences = sets.next();
            sequences.headSet(floor, true).clear();
            if (sequences.isEmpty()) {
                sets.remove();
            }
        }
    }

    /** @return the highest ack floor seen */
    long floor() {
        return floor;
    }

    /** Records that a message of the subject went to the delivery loop (or needs no handling). */
    void hand(String subject, long sequence) {
        if (sequence > floor) {
            bySubject.computeIfAbsent(subject, s -> new TreeSet<>()).add(sequence);
        }
    }

    /** @return whether the message was handed here before, or acknowledged by the group */
    boolean handed(String subject, long sequence) {
        if (sequence <= floor || sequence <= inherited.getOrDefault(subject, 0L)) {
            return true;
        }
        NavigableSet<Long> sequences = bySubject.get(subject);
        return sequences != null && sequences.contains(sequence);
    }

    /**
     * @param previous the message's predecessor on its subject, 0 for an actor's first message
     * @return whether the predecessor was handed here, acknowledged, or does not exist
     */
    boolean predecessorDealtWith(String subject, long previous) {
        return previous == 0 || handed(subject, previous);
    }

    /** @return whether a message later than this sequence of the subject was handed here */
    boolean laterHanded(String subject, long sequence) {
        NavigableSet<Long> sequences = bySubject.get(subject);
        return sequences != null && sequences.higher(sequence) != null;
    }
}
