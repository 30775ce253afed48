package dev.aether.benchmarks;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs {@link DataAsBenchmark} and {@link SnapshotLoadBenchmark} with JMH's GC profiler and prints each primitive's time and
 * allocation as a ratio to its hand-written baseline from the same run. Arguments are JMH's own.
 */
public final class TypedEventsReport {

    private TypedEventsReport() {
    }

    /**
     * @param args JMH command-line options
     * @throws RunnerException            if JMH fails
     * @throws CommandLineOptionException if an option is malformed
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(DataAsBenchmark.class.getSimpleName() + "|" + SnapshotLoadBenchmark.class.getSimpleName()).addProfiler(GCProfiler.class).build()).run();
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            String store = result.getParams().getParam("store");
            String name = label.substring(label.lastIndexOf('.') + 1);
            byName.put(store == null ? name : name + " " + store, result);
        }
        System.out.println();
        System.out.println("| operation | primitive µs/op | baseline µs/op | time ratio | primitive B/op | baseline B/op | allocation ratio |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        row(byName, "dataAs", "readMap");
        for (String store : new String[] {"memory", "jetstream"}) {
            row(byName, "loadFromSnapshot " + store, "fullReplay " + store);
        }
    }

    private static void row(Map<String, RunResult> byName, String primitive, String baseline) {
        RunResult p = byName.get(primitive);
        RunResult b = byName.get(baseline);
        if (p == null || b == null) {
            return;
        }
        double pt = p.getPrimaryResult().getScore();
        double bt = b.getPrimaryResult().getScore();
        double pa = BenchmarkReport.allocation(p).orElse(Double.NaN);
        double ba = BenchmarkReport.allocation(b).orElse(Double.NaN);
        System.out.printf("| %s vs %s | %.3f ± %.3f | %.3f ± %.3f | %.2f | %.0f | %.0f | %.2f |%n", primitive, baseline,
                pt, p.getPrimaryResult().getScoreError(), bt, b.getPrimaryResult().getScoreError(), pt / bt, pa, ba, pa / ba);
    }
}
