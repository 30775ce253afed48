package dev.aether.benchmarks;

import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The tables of {@link CommandPathBenchmark}: for each stream size, each operation on Aether, raw jnats
 * and JDBC with JMH's errors and Aether's ratios to both; then each cost by stream size.
 */
final class CommandPathReport {

    /** The pattern that excludes the JDBC peer's benchmarks when no database answers. */
    static final String JDBC_BENCHMARKS = Pattern.quote(CommandPathBenchmark.class.getSimpleName()) + "\\.jdbc";

    /**
     * One operation on the three peers.
     *
     * @param operation what it does, as the tables name it
     * @param aether    the Aether benchmark
     * @param raw       the raw jnats benchmarks that do the same; the cheaper one in a run is the baseline
     * @param jdbc      the JDBC benchmark
     */
    record Row(String operation, String aether, List<String> raw, String jdbc) {
    }

    static final List<Row> ROWS = List.of(
            new Row("getLatestVersion (100-event actor)", "getLatestVersion", List.of("rawGetLastMessage"), "jdbcLatestVersion"),
            new Row("reload 100 events, warm", "reloadWarm", List.of("rawGetLastMessage"), "jdbcReload"),
            new Row("reload 100 events, cold", "reloadCold", List.of("rawOrderedConsumerRead"), "jdbcReload"),
            new Row("reload 100 events after another writer added one", "reloadAfterOtherWriter",
                    List.of("rawGetLastMessage"), "jdbcReloadAfterOtherWriter"),
            new Row("tail: last 10 of 10,000 events, uncached", "tail",
                    List.of("rawTailGets", "rawTailOrderedConsumer"), "jdbcTail"),
            new Row("whole 10,000-event actor, uncached", "wholeActor", List.of("rawWholeActor"), "jdbcWholeActor"),
            new Row("save, 1 writer over 1,000 actors", "saveEvent", List.of("rawPublishExpectingLastSequence"), "jdbcInsert"),
            new Row("save, 4 writers over 1,000 actors (µs per save per thread)", "saveEventFourWriters",
                    List.of("rawPublishFourWriters"), "jdbcInsertFourWriters"));

    private CommandPathReport() {
    }

    /** @return whether JMH's include patterns select the command-path benchmarks (the default run does not) */
    static boolean selected(List<String> includes) {
        String jdbcBenchmark = CommandPathBenchmark.class.getName() + ".jdbcInsert";
        return includes.stream().anyMatch(include -> Pattern.compile(include).matcher(jdbcBenchmark).find());
    }

    /**
     * @param results           all results of the run
     * @param noJdbc            why the JDBC peer was not measured, if it was not
     * @param synchronousCommit the database's {@code synchronous_commit} during the run
     */
    static void print(Collection<RunResult> results, Optional<String> noJdbc, String synchronousCommit) {
        Map<Integer, Map<String, RunResult>> bySize = new TreeMap<>();
        String prefix = CommandPathBenchmark.class.getName() + ".";
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            if (label.startsWith(prefix)) {
                int size = Integer.parseInt(result.getParams().getParam("streamEvents"));
                bySize.computeIfAbsent(size, s -> new TreeMap<>()).put(label.substring(prefix.length()), result);
            }
        }
        if (bySize.isEmpty()) {
            return;
        }
        String notMeasured = noJdbc.map(reason -> "not measured: " + reason).orElse("not measured");
        System.out.println();
        System.out.println("Command path: Aether, raw jnats and JDBC (PostgreSQL, synchronous_commit="
                + (noJdbc.isPresent() ? "-" : synchronousCommit) + ") in the same run, µs/op ± 99.9 % error");
        noJdbc.ifPresent(reason -> System.out.println("JDBC peer not measured: " + reason));
        bySize.forEach((size, byName) -> {
            System.out.printf("%nStream of %,d other events (+ %,d of the measured actors, + %,d writers' first events):%n%n",
                    size, 2 * CommandPathBenchmark.ACTOR_EVENTS + CommandPathBenchmark.BIG_ACTOR_EVENTS,
                    2 * CommandPathBenchmark.WRITER_ACTORS);
            System.out.println("| operation | Aether µs/op | raw jnats µs/op | JDBC µs/op | Aether / raw | Aether / JDBC"
                    + " | Aether B/op | raw B/op | JDBC B/op |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (Row row : ROWS) {
                RunResult a = byName.get(row.aether());
                Optional<String> rawName = cheapest(row.raw(), byName);
                RunResult r = rawName.map(byName::get).orElse(null);
                RunResult j = byName.get(row.jdbc());
                String rawCell = time(r) + (row.raw().size() > 1 && r != null ? " (" + rawName.get() + ")" : "");
                System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", row.operation(), time(a), rawCell,
                        j == null ? notMeasured : time(j), ratio(a, r), ratio(a, j), bytes(a), bytes(r),
                        j == null ? "-" : bytes(j));
            }
            throughput(byName);
        });
        if (bySize.size() > 1) {
            System.out.printf("%nEach cost by stream size (other events in the stream), µs/op:%n%n");
            StringBuilder header = new StringBuilder("| operation | peer |");
            StringBuilder rule = new StringBuilder("| --- | --- |");
            for (int size : bySize.keySet()) {
                header.append(String.format(" %,d |", size));
                rule.append(" ---: |");
            }
            System.out.println(header);
            System.out.println(rule);
            for (Row row : ROWS) {
                sizeRow(row.operation(), "Aether", row.aether(), bySize);
                TreeSet<String> raws = new TreeSet<>(row.raw());
                for (String raw : raws) {
                    sizeRow(row.operation(), "raw " + raw, raw, bySize);
                }
                if (noJdbc.isPresent()) {
                    System.out.printf("| %s | JDBC | %s |%n", row.operation(), notMeasured);
                } else {
                    sizeRow(row.operation(), "JDBC", row.jdbc(), bySize);
                }
            }
        }
    }

    private static void sizeRow(String operation, String peer, String benchmark, Map<Integer, Map<String, RunResult>> bySize) {
        StringBuilder line = new StringBuilder("| " + operation + " | " + peer + " |");
        bySize.values().forEach(byName -> line.append(' ').append(time(byName.get(benchmark))).append(" |"));
        System.out.println(line);
    }

    private static void throughput(Map<String, RunResult> byName) {
        StringBuilder line = new StringBuilder();
        for (String name : List.of("saveEventFourWriters", "rawPublishFourWriters", "jdbcInsertFourWriters",
                "saveEvent", "rawPublishExpectingLastSequence", "jdbcInsert")) {
            RunResult result = byName.get(name);
            if (result != null) {
                double perSecond = result.getParams().getThreads() * 1e6 / result.getPrimaryResult().getScore();
                line.append(String.format("%s %,.0f/s; ", name, perSecond));
            }
        }
        if (!line.isEmpty()) {
            System.out.println();
            System.out.println("Saves per second (threads / time per save): " + line.substring(0, line.length() - 2));
        }
    }

    private static Optional<String> cheapest(List<String> names, Map<String, RunResult> byName) {
        return names.stream().filter(byName::containsKey)
                .min((x, y) -> Double.compare(byName.get(x).getPrimaryResult().getScore(),
                        byName.get(y).getPrimaryResult().getScore()));
    }

    private static String time(RunResult result) {
        if (result == null) {
            return "-";
        }
        return String.format("%,.1f ± %,.1f", result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError());
    }

    private static String ratio(RunResult a, RunResult b) {
        if (a == null || b == null) {
            return "-";
        }
        return String.format("%.2f", a.getPrimaryResult().getScore() / b.getPrimaryResult().getScore());
    }

    private static String bytes(RunResult result) {
        if (result == null) {
            return "-";
        }
        return BenchmarkReport.allocation(result).map(b -> String.format("%,.0f", b)).orElse("-");
    }
}
