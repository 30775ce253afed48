package dev.aether.test.faults;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What applications saw from the start of one fault until the next began: the writers' save outcomes and
 * slowest save, and what a health check and the subscriber group's lag showed, sampled every half second.
 *
 * @param step            the fault
 * @param outcomes        saves (single or batch) begun in the window, by outcome
 * @param slowestSaveMillis the longest save begun in the window
 * @param healthDownSamples samples in which the connection was not connected or the stream did not answer
 * @param samples         samples taken in the window
 * @param maxPending      the highest lag (events not yet delivered to the group) seen, or -1 if never known
 * @param lagUnknownSamples samples in which the lag could not be read
 */
public record FaultWindow(FaultStep step, Map<Outcome, Long> outcomes, long slowestSaveMillis, long healthDownSamples,
                          long samples, long maxPending, long lagUnknownSamples) {

    /** Copies the outcomes. */
    public FaultWindow {
        outcomes = Map.copyOf(outcomes);
    }

    /**
     * @param step    the fault
     * @param endMillis when the window ends (the next fault's start, or the end of writing)
     * @param saves   every save of the run
     * @param samples every health and lag sample of the run
     * @return the window's figures
     */
    static FaultWindow of(FaultStep step, long endMillis, Collection<SaveRecord> saves, List<Sample> samples) {
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, 0L);
        }
        long slowest = 0;
        for (SaveRecord save : saves) {
            if (save.startMillis() >= step.startMillis() && save.startMillis() < endMillis) {
                outcomes.merge(save.outcome(), 1L, Long::sum);
                slowest = Math.max(slowest, save.endMillis() - save.startMillis());
            }
        }
        List<Sample> inWindow = samples.stream()
                .filter(s -> s.millis() >= step.startMillis() && s.millis() < endMillis).toList();
        return new FaultWindow(step, outcomes, slowest, inWindow.stream().filter(s -> !s.healthUp()).count(),
                inWindow.size(), inWindow.stream().mapToLong(Sample::pending).max().orElse(-1),
                inWindow.stream().filter(s -> s.pending() < 0).count());
    }

    /** @return one line: fault, node, time to heal, outcomes, slowest save, health and lag */
    @Override
    public String toString() {
        return String.format("%-18s %-4s healed after %5.1f s | ok %5d conflict %3d unavailable %3d unknown %3d | "
                        + "slowest save %5d ms | health down %2d/%2d samples | max pending %5d, lag unknown %2d samples",
                step.fault(), step.node() < 0 ? "all" : "n" + (step.node() + 1),
                (step.healedMillis() - step.startMillis()) / 1000.0, outcomes.get(Outcome.OK),
                outcomes.get(Outcome.CONFLICT), outcomes.get(Outcome.UNAVAILABLE), outcomes.get(Outcome.UNKNOWN),
                slowestSaveMillis, healthDownSamples, samples, maxPending, lagUnknownSamples);
    }

    /**
     * One look at the application side.
     *
     * @param millis   wall-clock time
     * @param healthUp the connection was connected and the stream answered
     * @param pending  the subscriber group's pending events, or -1 when unknown
     */
    record Sample(long millis, boolean healthUp, long pending) {
    }
}
