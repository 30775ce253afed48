package dev.aether.jetstream;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What one stream reader has handed to the delivery loop, per actor subject, and the consumer's ack
 * floor: every message at or below it was acknowledged by some member of the durable group (or lies
 * before the subscription's start). Tells whether a message's predecessor (its
 * {@code Nats-Expected-Last-Subject-Sequence}) has been dealt with, and whether a delivery is a late
 * copy of a message already dealt with. Sequences at or below the floor are forgotten; the floor only
 * rises. Used by the reader's thread only: not thread-safe.
 *
 * <p>Above the floor each sequence handed is kept with a fingerprint of the message's body, so that a delivery
 * at that sequence of another message (the stream's replicas disagreed, and the stream now holds another
 * message there) is not taken for a late copy of the one handed.
 */
final class HandedSequences {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** Per subject, each sequence handed and the fingerprint of the body handed at it. */
    private final Map<String, NavigableMap<Long, Long>> bySubject = new HashMap<>();
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
        Iterator<NavigableMap<Long, Long>> maps = bySubject.values().iterator();
        while (maps.hasNext()) {
            NavigableMap<Long, Long> sequences = maps.next();
            sequences.headMap(floor, true).clear();
            if (sequences.isEmpty()) {
                maps.remove();
            }
        }
    }

    /** @return the highest ack floor seen */
    long floor() {
        return floor;
    }

    /**
     * Records that a message of the subject went to the delivery loop (or needs no handling).
     *
     * @param fingerprint the {@link #fingerprint} of its body
     */
    void hand(String subject, long sequence, long fingerprint) {
        if (sequence > floor) {
            bySubject.computeIfAbsent(subject, s -> new TreeMap<>()).put(sequence, fingerprint);
        }
    }

    /** @return whether a message at this sequence was handed here before, or acknowledged by the group */
    boolean handed(String subject, long sequence) {
        if (coveredByFloorOrMark(subject, sequence)) {
            return true;
        }
        NavigableMap<Long, Long> sequences = bySubject.get(subject);
        return sequences != null && sequences.containsKey(sequence);
    }

    /**
     * @param fingerprint the {@link #fingerprint} of the delivered message's body
     * @return whether this very message was handed here before (the same body at the same sequence), or the
     *         sequence was acknowledged by the group
     */
    boolean handedAs(String subject, long sequence, long fingerprint) {
        if (coveredByFloorOrMark(subject, sequence)) {
            return true;
        }
        NavigableMap<Long, Long> sequences = bySubject.get(subject);
        Long handedFingerprint = sequences == null ? null : sequences.get(sequence);
        return handedFingerprint != null && handedFingerprint == fingerprint;
    }

    private boolean coveredByFloorOrMark(String subject, long sequence) {
        return sequence <= floor || sequence <= inherited.getOrDefault(subject, 0L);
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
        NavigableMap<Long, Long> sequences = bySubject.get(subject);
        return sequences != null && sequences.higherKey(sequence) != null;
    }

    /**
     * @param body a stored message's body
     * @return its 64-bit FNV-1a hash: the same for every delivery of one stored message, different (but for a
     *         chance of one in 2<sup>64</sup>) for another message
     */
    static long fingerprint(byte[] body) {
        long hash = FNV_OFFSET_BASIS;
        if (body != null) {
            for (byte b : body) {
                hash ^= b & 0xff;
                hash *= FNV_PRIME;
            }
        }
        return hash;
    }
}
