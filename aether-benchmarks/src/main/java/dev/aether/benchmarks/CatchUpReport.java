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

    /** @param results every result of the run; those of other benchmarks are ignored */
    static void print(Collection<RunResult> results) {
        Map<String, Map<String, Double>> perSecondByBatch = new TreeMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            if (!covers(label)) {
                continue;
            }
            double microsPerEvent = result.getPrimaryResult().getScore();
            perSecondByBatch.computeIfAbsent(result.getParams().getParam("fetchBatch"), batch -> new TreeMap<>())
                    .put(label.substring(PREFIX.length()), 1e6 / microsPerEvent);
        }
        if (perSecondByBatch.isEmpty()) {
            return;
        }
        System.out.printf("%nCatch-up of %,d stored events by a new durable subscription, events/s (raw consumers fetch %d):%n%n",
                SubscriptionCatchUpBenchmark.EVENTS, SubscriptionCatchUpBenchmark.RAW_FETCH_BATCH);
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
