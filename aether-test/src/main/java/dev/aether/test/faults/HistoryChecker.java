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
     * @param saves     every save of every writer
     * @param stored    each actor's events as the store returns them after the run, in stream order
     * @param handlings every handler call of the subscriber group, in {@link Handling#order()}
     * @return the figures
     */
    public static HistoryReport check(Collection<SaveRecord> saves, Map<String, List<Event>> stored,
                                      List<Handling> handlings) {
        Set<String> storedIds = stored.values().stream().flatMap(List::stream).map(Event::id).collect(Collectors.toSet());
        long acknowledged = count(saves, Outcome.OK);
        long acknowledgedLost = saves.stream().filter(s -> s.outcome() == Outcome.OK)
                .filter(s -> !storedIds.contains(s.eventId())).count();
        long refusedFoundStored = saves.stream()
                .filter(s -> s.outcome() == Outcome.CONFLICT || s.outcome() == Outcome.UNAVAILABLE)
                .filter(s -> storedIds.contains(s.eventId())).count();
        long unknownStored = saves.stream().filter(s -> s.outcome() == Outcome.UNKNOWN)
                .filter(s -> storedIds.contains(s.eventId())).count();
        Map<String, Set<String>> acknowledgedIdsByVersion = new HashMap<>();
        saves.stream().filter(s -> s.outcome() == Outcome.OK).forEach(s -> acknowledgedIdsByVersion
                .computeIfAbsent(s.actorId() + "\t" + s.version(), k -> new HashSet<>()).add(s.eventId()));
        long sameVersionTwice = acknowledgedIdsByVersion.values().stream().filter(ids -> ids.size() > 1).count();
        long notIncreasing = 0;
        for (List<Event> events : stored.values()) {
            for (int i = 1; i < events.size(); i++) {
                if (events.get(i).version() <= events.get(i - 1).version()) {
                    notIncreasing++;
                }
            }
        }
        long[] disorder = outOfOrder(handlings, stored);
        return new HistoryReport(saves.size(), acknowledged, count(saves, Outcome.CONFLICT),
                count(saves, Outcome.UNAVAILABLE), count(saves, Outcome.UNKNOWN), unknownStored,
                count(saves, Outcome.UNKNOWN) - unknownStored, acknowledgedLost, refusedFoundStored, sameVersionTwice,
                notIncreasing, storedIds.size(), neverHandled(storedIds, handlings), disorder[0], disorder[1],
                handlings.size() - handlings.stream().map(Handling::eventId).distinct().count());
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
     * @return the cases whose event no other member handled, and those whose event another member handled too
     */
    private static long[] outOfOrder(List<Handling> handlings, Map<String, List<Event>> stored) {
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
        long[] disorder = new long[2];
        for (Handling h : handlings) {
            Integer at = position.get(h.eventId());
            if (at == null || !seen.add(h.eventId())) {
                continue;
            }
            String key = h.member() + "\t" + h.actorId();
            Integer furthest = furthestFirstHandled.get(key);
            if (furthest != null && furthest > at) {
                disorder[membersOf.get(h.eventId()).size() > 1 ? 1 : 0]++;
            } else {
                furthestFirstHandled.put(key, at);
            }
        }
        return disorder;
    }
}
