package dev.aether.jetstream;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A record, for history checkers, of every delivery the subscription readers of this JVM received from the server:
 * per stream sequence, the fingerprints of the bodies delivered there. It listens to the readers' {@code TRACE}
 * delivery log (through {@code java.util.logging}, the JDK's default backend of {@code System.Logger}; with another
 * backend it records nothing, and {@link #recording()} says so). A stored event never handled whose message was
 * delivered (that body at that sequence) was lost by Aether's reader; one never delivered was skipped by the
 * server's consumer. It sits in the store's package to use the readers' own log format and fingerprint.
 */
public final class GroupDeliveries implements AutoCloseable {

    private final String subscription;
    private final String stream;
    private final Logger logger = Logger.getLogger(JetStreamEventSubscriptions.class.getName());
    private final Level levelBefore = logger.getLevel();
    private final Map<Long, Set<Long>> fingerprints = new ConcurrentHashMap<>();
    private volatile boolean recorded;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            Object[] parameters = record.getParameters();
            if (!ConsumerReader.DELIVERY_TRACE.equals(record.getMessage()) || parameters == null
                    || parameters.length != 4 || !subscription.equals(parameters[0]) || !stream.equals(parameters[1])) {
                return;
            }
            recorded = true;
            fingerprints.computeIfAbsent((Long) parameters[2], sequence -> ConcurrentHashMap.newKeySet())
                    .add((Long) parameters[3]);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private GroupDeliveries(String subscription, String namespace) {
        this.subscription = Objects.requireNonNull(subscription, "subscription must not be null");
        this.stream = SubjectCodec.streamName(SubjectCodec.DEFAULT_PREFIX, Objects.requireNonNull(namespace,
                "namespace must not be null"));
    }

    /**
     * Starts recording: turns the readers' log category down to {@code TRACE} (the console handlers keep their own
     * level) and listens to it.
     *
     * @param subscription the subscription's name (its durable name)
     * @param namespace    the namespace whose stream is read (default stream prefix)
     * @return the recording, to close when done
     */
    public static GroupDeliveries record(String subscription, String namespace) {
        GroupDeliveries deliveries = new GroupDeliveries(subscription, namespace);
        deliveries.logger.setLevel(Level.FINEST);
        deliveries.logger.addHandler(deliveries.handler);
        return deliveries;
    }

    /** @return whether any delivery was recorded: false when {@code System.Logger} does not log through JUL */
    public boolean recording() {
        return recorded;
    }

    /**
     * @param message where a message is stored, and its body's fingerprint ({@link StoredHistory#storedAt()})
     * @return whether a reader was delivered that body at that sequence
     */
    public boolean delivered(StoredHistory.StoredAt message) {
        Set<Long> bodies = fingerprints.get(message.sequence());
        return bodies != null && bodies.contains(message.fingerprint());
    }

    /** Stops listening and puts the category's level back. */
    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(levelBefore);
    }
}
