package dev.aether.test.faults;

/** One fault of a {@link FaultSchedule}, each healed before the next begins. */
public enum Fault {
    /** {@code kill -9} of the stream's leader, started again after the fault's duration. */
    KILL_STREAM_LEADER,
    /** {@code kill -9} of a random node, started again after the fault's duration. */
    KILL_RANDOM_NODE,
    /** Graceful stop of a random node, started again at once. */
    RESTART_NODE,
    /** {@code kill -9} of every node at once, all started again together. */
    RESTART_ALL_NODES,
    /** {@code SIGSTOP} of a random node (a slow node, not a dead one), {@code SIGCONT} after the fault's duration. */
    PAUSE_NODE
}
