package dev.aether.test.faults;

/**
 * The faults a {@link FaultSchedule} injects into a NATS cluster, one node at a time or all at once.
 * {@code NatsClusterExtension} implements it for a private loopback cluster; implement it for your own
 * set-up (containers, virtual machines, systemd units) to run {@link FaultInjectionRun} against it.
 * Every method returns once the fault is in place; the starting ones once the node serves JetStream again.
 */
public interface ClusterFaults {

    /** @return the client URLs of every node, comma-separated, as jnats {@code Options.server} accepts them */
    String url();

    /** @return the number of nodes */
    int size();

    /**
     * @param serverName a server name as JetStream reports it (for example a stream's leader)
     * @return the index of that node, 0 to {@link #size()} - 1
     * @throws IllegalArgumentException if no node has that name
     */
    int indexOf(String serverName);

    /** Kills one node with SIGKILL ({@code kill -9}); its store stays as the kill left it. @param index the node */
    void kill(int index);

    /** Starts a killed or stopped node again on its store and waits until it serves JetStream. @param index the node */
    void start(int index);

    /** Stops one node gracefully. @param index the node */
    void stop(int index);

    /** Freezes one node with SIGSTOP: a slow node that keeps its connections, not a dead one. @param index the node */
    void pause(int index);

    /** Lets a paused node run again with SIGCONT. @param index the node */
    void resume(int index);

    /** Kills every node at once, starts them all again and waits until each serves JetStream. */
    void restartAll();
}
