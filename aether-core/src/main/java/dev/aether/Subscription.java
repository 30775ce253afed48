package dev.aether;

/** A running subscription. Closing it stops delivery; closing it twice is harmless. */
public interface Subscription extends AutoCloseable {

    /** Stops delivery to this subscription's handler. */
    @Override
    void close();
}
