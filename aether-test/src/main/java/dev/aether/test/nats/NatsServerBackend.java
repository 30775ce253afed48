package dev.aether.test.nats;

/**
 * One way of running a private nats-server: a local process or a Docker container. Every method
 * blocks until the server is in the requested state.
 */
interface NatsServerBackend {

    /** Starts the server (again) on its port and store directory and waits until it accepts clients. */
    void start();

    /** Shuts the server down gracefully and waits for it to exit. */
    void stop();

    /** Kills the server without letting it flush anything (SIGKILL) and waits for it to exit. */
    void kill();

    /** @return whether the server is running */
    boolean isRunning();

    /** @return the loopback port clients connect to; the same across restarts */
    int port();

    /** Kills the server if it runs and removes its store directory and every other trace. */
    void destroy();
}
