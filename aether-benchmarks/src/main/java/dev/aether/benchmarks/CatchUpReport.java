package dev.aether.benchmarks;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;

/**
 * Prints the results of {@link SubscriptionCatchUpBenchmark} as events per second, per fetch batch,
 * with the subscription's ratio to each raw consumer of the same run.
 */
final class CatchUpReport {

    private static final String PREFIX = SubscriptionCatchUpBenchmark.class.getName() + ".";

    private CatchUpReport() {
    }

    /** @param label a benchmark's full name @return whether this report covers it */
    static boolean covers(String label) {
        return label.startsWith(PREFIX);
    }

    /**
     * Prints two tables: from the mean time per event of each benchmark (JMH's score), and from the median
     * invocation, which a rare stalled invocation does not move.
     *
     * @param results every result of the run; those of other benchmarks are ignored
     */
    static void print(Collection<RunResult> results) {
        Map<String, Map<String, Double>> meanPerSecond = new TreeMap<>();
        Map<String, Map<String, Double>> medianPerSecond = new TreeMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            if (!covers(label)) {
                continue;
            }
            String batch = result.getParams().getParam("fetchBatch");
            String name = label.substring(PREFIX.length());
            meanPerSecond.computeIfAbsent(batch, b -> new TreeMap<>())
                    .put(name, 1e6 / result.getPrimaryResult().getScore());
            medianPerSecond.computeIfAbsent(batch, b -> new TreeMap<>())
                    .put(name, 1e6 / result.getPrimaryResult().getStatistics().getPercentile(50.0));
        }
        if (meanPerSecond.isEmpty()) {
            return;
        }
        table("mean", meanPerSecond);
        table("median invocation", medianPerSecond);
    }

    private static void table(String statistic, Map<String, Map<String, Double>> perSecondByBatch) {
        System.out.printf("%nCatch-up of %,d stored events by a new durable subscription, events/s from the %s"
                        + " (raw consumers fetch %d):%n%n",
                SubscriptionCatchUpBenchmark.EVENTS, statistic, SubscriptionCatchUpBenchmark.RAW_FETCH_BATCH);
        System.out.printf("| subscription fetch batch | subscription | %d partitions, one process | %d partitions, partitioned"
                + " layout | raw, decoding | raw, not decoding | subscription / raw decoding | / raw not decoding"
                + " | partitioned / subscription | partitioned layout / subscription |%n",
                SubscriptionCatchUpBenchmark.PARTITIONS, SubscriptionCatchUpBenchmark.PARTITIONS);
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        perSecondByBatch.forEach((batch, perSecond) -> {
            double aether = perSecond.getOrDefault("subscriptionCatchUp", Double.NaN);
            double decoding = perSecond.getOrDefault("rawPullDecoding", Double.NaN);
            double plain = perSecond.getOrDefault("rawPullNotDecoding", Double.NaN);
            double partitioned = perSecond.getOrDefault("partitionedCatchUp", Double.NaN);
            double layout = perSecond.getOrDefault("partitionedLayoutCatchUp", Double.NaN);
            System.out.printf("| %s | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f |%n", batch, aether,
                    partitioned, layout, decoding, plain, aether / decoding, aether / plain, partitioned / aether,
                    layout / aether);
        });
    }
}
