package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.StoreUnavailableException;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Every event of a namespace's stream as stored, per actor in stream order, decoded but not checked
 * for the actor's order, the actors whose stored chain forks, and where each event's message is: for history
 * checkers, which must see a history the store's reads refuse (versions that do not increase, as
 * nats-server#4320 allows on replicated streams before 2.9.21). It reads every subject of the stream, so it
 * works on streams of either
 * {@link SubjectLayout subject layout}. It sits in the store's package to decode with the store's own codec;
 * applications read with {@link JetStreamEventStore}.
 *
 * @param byActor      each actor's events in stream order, in the order actors first appear
 * @param forkedActors the actors with a message whose {@code Nats-Expected-Last-Subject-Sequence} is not the
 *                     sequence of its subject's message before it: two saves from the same read were both
 *                     stored (nats-server#4320), and the order the headers give is not the stream's
 * @param storedAt     per event id, where its message is stored
 */
public record StoredHistory(Map<String, List<Event>> byActor, Set<String> forkedActors,
                            Map<String, StoredAt> storedAt) {

    /**
     * Where a message is stored.
     *
     * @param sequence    its stream sequence
     * @param fingerprint the fingerprint of its body, as subscription readers compute it (64-bit FNV-1a)
     */
    public record StoredAt(long sequence, long fingerprint) {
    }

    /** Copies all three, keeping the actors' order. */
    public StoredHistory {
        Map<String, List<Event>> copy = new LinkedHashMap<>();
        byActor.forEach((actor, events) -> copy.put(actor, List.copyOf(events)));
        byActor = Collections.unmodifiableMap(copy);
        forkedActors = Set.copyOf(forkedActors);
        storedAt = Map.copyOf(storedAt);
    }

    /**
     * Reads the whole stream once through an ordered consumer.
     *
     * @param connection a connection to the server or cluster
     * @param namespace  the namespace whose stream is read (default stream prefix)
     * @param timeout    the longest wait for one message before the read is given up
     * @return the stream's events per actor, its forked actors, and where each event is stored
     * @throws StoreUnavailableException if the stream cannot be read
     */
    public static StoredHistory read(Connection connection, String namespace, Duration timeout) {
        EventCodec codec = new EventCodec();
        Map<String, List<Event>> byActor = new LinkedHashMap<>();
        Map<String, Long> lastBySubject = new HashMap<>();
        Set<String> forked = new HashSet<>();
        Map<String, StoredAt> storedAt = new HashMap<>();
        forEachMessage(connection, namespace, timeout, message -> {
            List<Event> events = codec.decodeMessage(message.getData());
            long sequence = message.metaData().streamSequence();
            StoredAt at = new StoredAt(sequence, HandedSequences.fingerprint(message.getData()));
            for (Event event : events) {
                byActor.computeIfAbsent(event.actorId(), actor -> new ArrayList<>()).add(event);
                storedAt.put(event.id(), at);
            }
            Long before = lastBySubject.put(message.getSubject(), sequence);
            if (!events.isEmpty() && ConsumerReader.previousOf(message.getHeaders()) != (before == null ? 0 : before)) {
                forked.add(events.get(0).actorId());
            }
        });
        return new StoredHistory(byActor, forked, storedAt);
    }

    private static void forEachMessage(Connection connection, String namespace, Duration timeout,
                                       Consumer<Message> action) {
        String stream = SubjectCodec.streamName(SubjectCodec.DEFAULT_PREFIX, namespace);
        try {
            long last = connection.jetStreamManagement().getStreamInfo(stream).getStreamState().getLastSequence();
            OrderedConsumerContext context = connection.getStreamContext(stream)
                    .createOrderedConsumer(new OrderedConsumerConfiguration());
            try (IterableConsumer consumer = context.iterate()) {
                long seen = 0;
                while (seen < last) {
                    Message message = consumer.nextMessage(timeout);
                    if (message == null) {
                        throw new StoreUnavailableException("Reading stream " + stream + " stalled after sequence " + seen,
                                new TimeoutException("no message within " + timeout));
                    }
                    seen = message.metaData().streamSequence();
                    action.accept(message);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted reading stream " + stream, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // I/O, the server's refusal, or closing the consumer
            throw new StoreUnavailableException("Could not read stream " + stream, e);
        }
    }
}
