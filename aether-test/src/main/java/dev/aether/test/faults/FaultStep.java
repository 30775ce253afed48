package dev.aether.test.faults;

/**
 * One fault as it was injected.
 *
 * @param fault        which fault
 * @param node         the node it hit, or -1 for all
 * @param startMillis  wall-clock time it began
 * @param healedMillis wall-clock time the cluster was whole again (the node started or resumed)
 */
public record FaultStep(Fault fault, int node, long startMillis, long healedMillis) {
}
