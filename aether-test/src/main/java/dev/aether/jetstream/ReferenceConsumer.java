package dev.aether.jetstream;

import dev.aether.StoreUnavailableException;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A control for history checkers: a plain jnats durable pull consumer on a namespace's stream that records
 * the id of every event the server delivers to it and acknowledges each message at once, with none of
 * Aether's reader logic (no gap filling, no ack floor). An event a subscriber group never handled that this
 * consumer was not delivered either points at the server's consumer, not at Aether's reader. It sits in the
 * store's package to decode with the store's own codec.
 */
public final class ReferenceConsumer implements AutoCloseable {

    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(500);

    private final Connection connection;
    private final String stream;
    private final String durable;
    private final EventCodec codec = new EventCodec();
    /**
     * Per event id delivered, the stream sequences it was delivered at: more than one means the stream moved it.
     */
    private final Map<String, Set<Long>> sequences = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ReferenceConsumer(Connection connection, String namespace, String durable) {
        this.connection = Objects.requireNonNull(connection, "connection must not be null");
        this.stream = SubjectCodec.streamName(SubjectCodec.DEFAULT_PREFIX, namespace);
        this.durable = Objects.requireNonNull(durable, "durable must not be null");
        this.thread = new Thread(this::read, "reference-consumer-" + durable);
        this.thread.setDaemon(true);
    }

    /**
     * Creates the durable consumer (explicit ack, from the stream's start, the stream's replicas) and starts
     * reading on a thread of its own.
     *
     * @param connection a connection to the server or cluster; the namespace's stream must exist
     * @param namespace  the namespace whose stream is read (default stream prefix)
     * @param durable    the consumer's durable name
     * @return the running consumer
     * @throws StoreUnavailableException if the consumer cannot be created
     */
    public static ReferenceConsumer start(Connection connection, String namespace, String durable) {
        ReferenceConsumer consumer = new ReferenceConsumer(connection, namespace, durable);
        try {
            connection.jetStreamManagement().addOrUpdateConsumer(consumer.stream, ConsumerConfiguration.builder()
                    .durable(durable).ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All)
                    .ackWait(Duration.ofSeconds(30)).maxDeliver(-1).build());
        } catch (Exception e) {
            throw new StoreUnavailableException("Could not create the reference consumer " + durable + " on "
                    + consumer.stream, e);
        }
        consumer.thread.start();
        return consumer;
    }

    /** @return whether the server has delivered the event with this id to this consumer */
    public boolean delivered(String eventId) {
        return sequences.containsKey(eventId);
    }

    /** @return the ids of every event delivered so far */
    public Set<String> deliveredIds() {
        return Set.copyOf(sequences.keySet());
    }

    /**
     * @return per event id delivered at more than one stream sequence, those sequences: the stream held the
     *         event at one place, then at another (replicas that disagree), which a consumer cannot tell from
     *         two events
     */
    public Map<String, Set<Long>> movedEvents() {
        Map<String, Set<Long>> moved = new TreeMap<>();
        sequences.forEach((id, at) -> {
            if (at.size() > 1) {
                moved.put(id, new TreeSet<>(at));
            }
        });
        return moved;
    }

    /** Stops reading; the durable consumer stays on the server. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        ConsumerContext consumer = null;
        FetchConsumeOptions fetch = FetchConsumeOptions.builder().maxMessages(256).expiresIn(1_000).build();
        while (running) {
            try {
                if (consumer == null) {
                    consumer = connection.getStreamContext(stream).getConsumerContext(durable);
                }
                try (FetchConsumer messages = consumer.fetch(fetch)) {
                    Message message;
                    while (running && (message = messages.nextMessage()) != null) {
                        try {
                            long sequence = message.metaData().streamSequence();
                            codec.decodeMessage(message.getData()).forEach(event -> sequences
                                    .computeIfAbsent(event.id(), id -> ConcurrentHashMap.newKeySet()).add(sequence));
                        } catch (RuntimeException undecodable) {
                            // not an event: nothing to record
                        }
                        message.ack();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) { // the cluster is failing over: read again after a pause
                consumer = null;
                try {
                    Thread.sleep(PAUSE_AFTER_FAILURE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
