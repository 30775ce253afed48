package dev.aether;

/**
 * Where a new subscription starts reading. A durable subscription that already has a position
 * resumes from it and ignores its start position.
 */
public sealed interface StartPosition {

    /** @return start with events saved after the subscription starts */
    static StartPosition newEvents() {
        return NewEvents.INSTANCE;
    }

    /** @return start with the first stored event */
    static StartPosition beginning() {
        return Beginning.INSTANCE;
    }

    /**
     * @param position a stream position (for JetStream, the stream sequence), at least 1
     * @return start with the event stored at that position or the first after it
     */
    static StartPosition at(long position) {
        return new AtPosition(position);
    }

    /** Only events saved after the subscription starts. */
    enum NewEvents implements StartPosition {
        /** The only instance. */
        INSTANCE
    }

    /** Every stored event, from the first. */
    enum Beginning implements StartPosition {
        /** The only instance. */
        INSTANCE
    }

    /**
     * From a stream position.
     *
     * @param position the first position to deliver, at least 1
     */
    record AtPosition(long position) implements StartPosition {
        /** Validates the position. */
        public AtPosition {
            if (position < 1) {
                throw new IllegalArgumentException("position must be at least 1, was " + position);
            }
        }
    }
}
