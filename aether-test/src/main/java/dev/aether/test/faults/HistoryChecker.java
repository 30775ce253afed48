package dev.aether.test.faults;

import dev.aether.Event;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a whole history afterwards: the writers' {@link SaveRecord}s, what the store holds per actor, and the
 * subscriber group's {@link Handling}s, and counts what each promise allows (see {@link HistoryReport}).
 */
public final class HistoryChecker {

    private HistoryChecker() {
    }

    /**
     * @param saves     every save (single or batch) of every writer
     * @param stored    each actor's events as stored after the run, in stream order
     * @param handlings every handler call of the subscriber group, in {@link Handling#order()}
     * @return the figures
     */
    public static HistoryReport check(Collection<SaveRecord> saves, Map<String, List<Event>> stored,
                                      List<Handling> handlings) {
        return check(saves, stored, handlings, Set.of());
    }

    /**
     * @param saves        every save (single or batch) of every writer
     * @param stored       each actor's events as stored after the run, in stream order
     * @param handlings    every handler call of the subscriber group, in {@link Handling#order()}
     * @param forkedActors actors whose stored chain of expected sequences forks (nats-server#4320; see
     *                     {@code StoredHistory.forkedActors()}): their disorder is counted apart
     * @return the figures
     */
    public static HistoryReport check(Collection<SaveRecord> saves, Map<String, List<Event>> stored,
                                      List<Handling> handlings, Set<String> forkedActors) {
        Set<String> storedIds = stored.values().stream().flatMap(List::stream).map(Event::id).collect(Collectors.toSet());
        List<SaveRecord> singles = saves.stream().filter(s -> !s.batch()).toList();
        long unknownStored = singles.stream().filter(s -> s.outcome() == Outcome.UNKNOWN)
                .filter(s -> storedIds.contains(s.eventId())).count();
        long acknowledgedLost = singles.stream().filter(s -> s.outcome() == Outcome.OK)
                .filter(s -> !storedIds.contains(s.eventId())).count();
        long notIncreasing = 0;
        Set<String> raced = new HashSet<>();
        for (Map.Entry<String, List<Event>> actor : stored.entrySet()) {
            List<Event> events = actor.getValue();
            for (int i = 1; i < events.size(); i++) {
                if (events.get(i).version() <= events.get(i - 1).version()) {
                    notIncreasing++;
                    raced.add(actor.getKey());
                }
            }
        }
        List<SaveRecord> refusedStored = saves.stream()
                .filter(s -> s.outcome() == Outcome.CONFLICT || s.outcome() == Outcome.UNAVAILABLE)
                .filter(s -> s.eventIds().stream().anyMatch(storedIds::contains)).toList();
        long refusedStoredRaced = refusedStored.stream().filter(s -> raced.contains(s.actorId())).count();
        Set<String> forked = new HashSet<>(forkedActors);
        forked.addAll(raced);
        long[] disorder = outOfOrder(handlings, stored, forked);
        long[] doubleAcknowledged = versionsAcknowledgedTwice(saves);
        return new HistoryReport(singles.size(), count(singles, Outcome.OK), count(singles, Outcome.CONFLICT),
                count(singles, Outcome.UNAVAILABLE), count(singles, Outcome.UNKNOWN), unknownStored,
                count(singles, Outcome.UNKNOWN) - unknownStored, acknowledgedLost,
                refusedStored.size() - refusedStoredRaced, refusedStoredRaced,
                doubleAcknowledged[0], doubleAcknowledged[1], notIncreasing, storedIds.size(),
                neverHandled(storedIds, handlings), disorder[0], disorder[2], disorder[1],
                handlings.size() - handlings.stream().map(Handling::eventId).distinct().count(),
                batches(saves, storedIds));
    }

    /**
     * The saves that break one of the promises about saves: acknowledged and not (wholly) stored, refused or failed
     * with nothing stored yet found stored, or a batch found partly stored. For a report of the cases behind the
     * figures.
     *
     * @param saves  every save of every writer
     * @param stored each actor's events as stored after the run
     * @return those saves, in the order given
     */
    public static List<SaveRecord> brokenSaves(Collection<SaveRecord> saves, Map<String, List<Event>> stored) {
        Set<String> storedIds = stored.values().stream().flatMap(List::stream).map(Event::id).collect(Collectors.toSet());
        return saves.stream().filter(s -> {
            long found = s.eventIds().stream().filter(storedIds::contains).count();
            boolean partly = found > 0 && found < s.eventIds().size();
            return partly || switch (s.outcome()) {
                case OK -> found < s.eventIds().size();
                case CONFLICT, UNAVAILABLE -> found > 0;
                case UNKNOWN -> false;
            };
        }).toList();
    }

    /**
     * Batches are all or none: an acknowledged batch must be stored whole, and no batch, whatever its outcome, may
     * be found partly stored. An outcome-unknown batch resolves to stored whole or not at all.
     */
    private static BatchReport batches(Collection<SaveRecord> saves, Set<String> storedIds) {
        List<SaveRecord> batches = saves.stream().filter(SaveRecord::batch).toList();
        long acknowledgedLost = 0;
        long partlyStored = 0;
        long unknownAll = 0;
        long unknownNone = 0;
        for (SaveRecord batch : batches) {
            long found = batch.eventIds().stream().filter(storedIds::contains).count();
            boolean whole = found == batch.eventIds().size();
            if (found > 0 && !whole) {
                partlyStored++;
            }
            if (batch.outcome() == Outcome.OK && !whole) {
                acknowledgedLost++;
            }
            if (batch.outcome() == Outcome.UNKNOWN) {
                if (whole) {
                    unknownAll++;
                } else if (found == 0) {
                    unknownNone++;
                }
            }
        }
        return new BatchReport(batches.size(), batches.stream().mapToLong(b -> b.eventIds().size()).sum(),
                count(batches, Outcome.OK), count(batches, Outcome.CONFLICT), count(batches, Outcome.UNAVAILABLE),
                count(batches, Outcome.UNKNOWN), unknownAll, unknownNone, acknowledgedLost, partlyStored);
    }

    /**
     * Versions of an actor acknowledged to two different events, by single saves and batches alike, split by
     * whether two of those saves began at the same version (the store's message id, actor and first version, makes
     * the server drop the second on every version) or not (a batch overlapping another save: only the
     * expected-sequence check prevents it, which nats-server#4320 lets through on 2.9.x with replicas).
     *
     * @return the versions whose saves began at one version, and those whose saves began at different versions
     */
    /**
     * Of the versions acknowledged to two events by saves that started there ({@link
     * HistoryReport#sameVersionBothAcknowledged()}), those where one of the two is no longer stored although a
     * consumer was delivered it: the server stored it, lost it, and then rightly accepted the other save.
     *
     * @param saves     every save of every writer
     * @param storedIds the ids of the events stored after the run
     * @param seenIds   the ids of the events any consumer was delivered
     * @return how many such versions
     */
    public static long sameVersionAcknowledgedTwiceAfterLoss(Collection<SaveRecord> saves, Set<String> storedIds,
                                                             Set<String> seenIds) {
        return acknowledgedByVersion(saves).values().stream()
                .filter(firstVersionById -> firstVersionById.size() > 1 && sameStart(firstVersionById))
                .filter(firstVersionById -> firstVersionById.keySet().stream()
                        .anyMatch(id -> !storedIds.contains(id) && seenIds.contains(id)))
                .count();
    }

    private static long[] versionsAcknowledgedTwice(Collection<SaveRecord> saves) {
        long[] twice = new long[2];
        for (Map<String, Long> firstVersionById : acknowledgedByVersion(saves).values()) {
            if (firstVersionById.size() > 1) {
                twice[sameStart(firstVersionById) ? 0 : 1]++;
            }
        }
        return twice;
    }

    /** @return whether two of the saves that acknowledged one version started at the same version */
    private static boolean sameStart(Map<String, Long> firstVersionById) {
        return new HashSet<>(firstVersionById.values()).size() < firstVersionById.size();
    }

    /** @return per actor and version, the ids of the events acknowledged there, each with its save's first version */
    private static Map<String, Map<String, Long>> acknowledgedByVersion(Collection<SaveRecord> saves) {
        Map<String, Map<String, Long>> firstVersionByIdByVersion = new HashMap<>();
        saves.stream().filter(s -> s.outcome() == Outcome.OK).forEach(s -> {
            for (int i = 0; i < s.eventIds().size(); i++) {
                firstVersionByIdByVersion.computeIfAbsent(s.actorId() + "\t" + (s.version() + i), k -> new HashMap<>())
                        .put(s.eventIds().get(i), s.version());
            }
        });
        return firstVersionByIdByVersion;
    }

    private static long count(Collection<SaveRecord> saves, Outcome outcome) {
        return saves.stream().filter(s -> s.outcome() == outcome).count();
    }

    private static long neverHandled(Set<String> storedIds, List<Handling> handlings) {
        Set<String> handled = handlings.stream().map(Handling::eventId).collect(Collectors.toSet());
        return storedIds.stream().filter(id -> !handled.contains(id)).count();
    }

    /**
     * Within one member, per actor, the first handling (in the whole group) of each event must not come after the
     * member's first handling of an event stored after it: redeliveries of events already handled are duplicates,
     * not disorder, and members sharing a durable name may handle one actor concurrently. Order is the actor's
     * stored order, which is version order unless {@link HistoryReport#storedOutOfVersionOrder()} says otherwise.
     *
     * @return the cases whose event no other member handled, those whose event another member handled too, and
     *         those of the first kind on forked actors (counted there only)
     */
    private static long[] outOfOrder(List<Handling> handlings, Map<String, List<Event>> stored, Set<String> forked) {
        Map<String, Integer> position = new HashMap<>();
        stored.values().forEach(events -> {
            for (int i = 0; i < events.size(); i++) {
                position.put(events.get(i).id(), i);
            }
        });
        Map<String, Set<String>> membersOf = new HashMap<>();
        handlings.forEach(h -> membersOf.computeIfAbsent(h.eventId(), id -> new HashSet<>()).add(h.member()));
        Set<String> seen = new HashSet<>();
        Map<String, Integer> furthestFirstHandled = new HashMap<>();
        long[] disorder = new long[3];
        for (Handling h : handlings) {
            Integer at = position.get(h.eventId());
            if (at == null || !seen.add(h.eventId())) {
                continue;
            }
            String key = h.member() + "\t" + h.actorId();
            Integer furthest = furthestFirstHandled.get(key);
            if (furthest != null && furthest > at) {
                disorder[membersOf.get(h.eventId()).size() > 1 ? 1 : forked.contains(h.actorId()) ? 2 : 0]++;
            } else {
                furthestFirstHandled.put(key, at);
            }
        }
        return disorder;
    }
}
