package dev.aether.jetstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The handler calls of a group, from every member, in wall-clock order, and the checks of a partitioned
 * subscription's guarantee: per actor, a version is handled only after every earlier one, and never
 * after a later one (a duplicate may come again, but not once a later version was handled).
 */
final class HandledHistory {

    /** One handler call, by a member. */
    record Handled(String actor, long version, long micros, String member) {
        Handled(String actor, long version, long micros) {
            this(actor, version, micros, "");
        }
    }

    private final List<Handled> calls;

    HandledHistory(List<Handled> calls) {
        this.calls = calls.stream().sorted(Comparator.comparingLong(Handled::micros)).toList();
    }

    /** Reads the files of {@link PartitionedSubscriberProcess}; a last line cut by a kill is skipped. */
    static HandledHistory read(List<Path> files) throws IOException {
        List<Handled> calls = new ArrayList<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    calls.add(new Handled(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                            file.getFileName().toString()));
                }
            }
        }
        return new HandledHistory(calls);
    }

    /** @return how many calls there were */
    int size() {
        return calls.size();
    }

    /** @return how many distinct (actor, version) pairs were handled */
    Set<String> handledEvents() {
        Set<String> handled = new HashSet<>();
        calls.forEach(c -> handled.add(c.actor() + "@" + c.version()));
        return handled;
    }

    /** @return every call that broke the actor's order, described; empty when the order held */
    List<String> orderViolations() {
        Map<String, Long> highest = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (Handled call : calls) {
            long before = highest.getOrDefault(call.actor(), 0L);
            if (call.version() < before) {
                violations.add(call.actor() + " v" + call.version() + " handled after v" + before);
            } else if (call.version() > before + 1) {
                violations.add(call.actor() + " v" + call.version() + " handled before v" + (before + 1));
            }
            highest.put(call.actor(), Math.max(before, call.version()));
        }
        return violations;
    }

    /** @return the calls of one actor, in time order, one per line: for a failure's description */
    String callsOf(String actor) {
        StringBuilder out = new StringBuilder();
        calls.stream().filter(c -> c.actor().equals(actor))
                .forEach(c -> out.append(c.version()).append(' ').append(c.micros()).append(' ').append(c.member()).append('\n'));
        return out.toString();
    }

    /** @return how many calls handled an event a second time */
    long duplicates() {
        return calls.size() - handledEvents().size();
    }
}
