package dev.aether.jetstream;

import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.LagAware;
import dev.aether.NamespacePattern;
import dev.aether.PartitionAware;
import dev.aether.StoreUnavailableException;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionLag;
import dev.aether.SubscriptionOptions;
import dev.aether.spi.ActorOrderedDelivery;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.StreamContext;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One call of {@link JetStreamEventSubscriptions#subscribe}: its lifecycle (start, discovery of new
 * matching streams, partition start and stop, close), one reader per matching stream (per stream and
 * owned partition when partitioned), one delivery loop for all.
 */
final class JetStreamSubscription implements Subscription, LagAware, PartitionAware, PartitionCoordinator.Partitions {

    /**
     * What the subscriptions of one {@link JetStreamEventSubscriptions} share.
     *
     * @param reader            the settings of every consumer reader
     * @param jetStream         the connection's JetStream context
     * @param discovery         runs the periodic scans for new streams
     * @param discoveryInterval how often a subscription scans for new streams
     * @param leases            the lease bucket, opened on first use
     * @param closed            told when a subscription closed
     */
    record Shared(ReaderSettings reader, JetStream jetStream, ScheduledExecutorService discovery,
                  Duration discoveryInterval, Supplier<PartitionLeases> leases,
                  Consumer<JetStreamSubscription> closed) {
        Shared {
            Objects.requireNonNull(reader, "reader must not be null");
            Objects.requireNonNull(jetStream, "jetStream must not be null");
            Objects.requireNonNull(discovery, "discovery must not be null");
            Objects.requireNonNull(discoveryInterval, "discoveryInterval must not be null");
            Objects.requireNonNull(leases, "leases must not be null");
            Objects.requireNonNull(closed, "closed must not be null");
        }
    }

    /** Logged under the subscriptions' name, the category operators configure. */
    private static final Logger LOG = System.getLogger(JetStreamEventSubscriptions.class.getName());

    private final NamespacePattern pattern;
    private final SubscriptionFilter filter;
    private final SubscriptionOptions options;
    final String name;
    final ActorOrderedDelivery delivery;
    private final Shared shared;
    private final Connection connection;
    private final String prefix;
    private final StreamDiscovery streams;
    private final ConsumerReader.Subscriber subscriber;
    /** Keyed by {@link #readerKey}. */
    private final Map<String, ConsumerReader> readers = new ConcurrentHashMap<>();
    /** Partitioned only: the streams whose partition consumers exist, by stream name. */
    private final Map<String, PartitionedStream> partitionedStreams = new ConcurrentHashMap<>();
    private volatile PartitionCoordinator coordinator;
    volatile boolean open = true;
    private ScheduledFuture<?> discoveryTask;

    JetStreamSubscription(Shared shared, NamespacePattern pattern, SubscriptionFilter filter, EventHandler handler,
                          SubscriptionOptions options) {
        this.shared = Objects.requireNonNull(shared, "shared must not be null");
        this.connection = shared.reader().connection();
        this.prefix = shared.reader().prefix();
        this.streams = new StreamDiscovery(shared.jetStream(), shared.reader().management(), prefix, pattern);
        this.pattern = pattern;
        this.filter = filter;
        this.options = options;
        this.name = options.durableName() != null ? options.durableName()
                : "ephemeral-" + UUID.randomUUID().toString().substring(0, 8);
        this.delivery = new ActorOrderedDelivery(name, handler, options, this::admits);
        this.subscriber = new ConsumerReader.Subscriber(name, pattern.value(), options, filter, delivery,
                this::owns, this::streamGone);
    }

    /** Whether this process owns the partition now; every reader of an unpartitioned subscription reads. */
    private boolean owns(int partition) {
        if (partition == ConsumerReader.UNPARTITIONED) {
            return true;
        }
        PartitionCoordinator partitions = coordinator;
        return partitions != null && partitions.owns(partition);
    }

    /** Forgets a reader whose stream was deleted: it stopped, and discovery may find the stream again. */
    private void streamGone(ConsumerReader reader) {
        readers.remove(readerKey(reader.stream.getStreamName(), reader.partition), reader);
        partitionedStreams.remove(reader.stream.getStreamName());
    }

    /** Tells the server that events waiting in the readers are still being worked on. */
    void extendDeadlines(long olderThanNanos) {
        readers.values().forEach(reader -> reader.extendDeadlines(olderThanNanos));
    }

    private boolean admits(String namespace, Event event) {
        if (!options.partitioned()) {
            return true;
        }
        PartitionCoordinator partitions = coordinator;
        return partitions != null && partitions.admits(event.actorId());
    }

    @Override
    public int partitionCount() {
        return options.partitions();
    }

    /** The partitions whose leases this process holds now (read from memory, no request). */
    @Override
    public List<Integer> ownedPartitions() {
        if (!open) {
            return List.of();
        }
        if (!options.partitioned()) {
            return List.of(0);
        }
        PartitionCoordinator partitions = coordinator;
        return partitions == null ? List.of() : partitions.owned();
    }

    /** Partitioned only: joins the group and takes the partitions that are free and this member's. */
    void startPartitions() {
        if (!options.partitioned()) {
            return;
        }
        PartitionCoordinator partitions = new PartitionCoordinator(shared.leases().get(), name, options.partitions(), this);
        coordinator = partitions;
        try {
            partitions.start();
        } catch (StoreUnavailableException e) {
            throw PermissionViolations.explain(connection, e, SubjectCodec.leaseBucket(prefix));
        }
    }

    @Override
    public void start(int partition, Map<String, Map<String, Long>> handledUnacknowledged) {
        synchronized (this) {
            if (!open) {
                return;
            }
            for (PartitionedStream stream : partitionedStreams.values()) {
                startReader(stream, partition, handledUnacknowledged.getOrDefault(stream.context.getStreamName(),
                        Map.of()));
            }
        }
    }

    @Override
    public Map<String, Map<String, Long>> stop(int partition) {
        List<ConsumerReader> stopped = new ArrayList<>();
        synchronized (this) {
            readers.values().removeIf(reader -> {
                if (reader.partition != partition) {
                    return false;
                }
                reader.stop();
                stopped.add(reader);
                return true;
            });
        }
        stopped.forEach(ConsumerReader::join);
        // the coordinator closed the partition's admission: its waiting events are given back now
        delivery.releaseRefused();
        return handledUnacknowledged(stopped);
    }

    @Override
    public Map<String, Map<String, Long>> dealtWith(int partition) {
        List<ConsumerReader> running = readers.values().stream().filter(r -> r.partition == partition).toList();
        return handledUnacknowledged(running);
    }

    /** @return per stream, per actor subject, the last message these readers dealt with */
    Map<String, Map<String, Long>> handledUnacknowledged(List<ConsumerReader> stopped) {
        Map<String, Map<String, Long>> handled = new java.util.HashMap<>();
        for (ConsumerReader reader : stopped) {
            if (!reader.dealtWithUpTo.isEmpty()) {
                handled.computeIfAbsent(reader.stream.getStreamName(), s -> new java.util.HashMap<>())
                        .putAll(Map.copyOf(reader.dealtWithUpTo));
            }
        }
        return handled;
    }

    private void startReader(PartitionedStream stream, int partition, Map<String, Long> dealtWith) {
        String key = readerKey(stream.context.getStreamName(), partition);
        if (readers.containsKey(key)) {
            return;
        }
        ConsumerReader reader = new ConsumerReader(shared.reader(), subscriber, stream.namespace, stream.context,
                stream.layout, stream.foundAtStart, partition);
        reader.dealtWithUpTo.putAll(dealtWith);
        dealtWith.forEach(reader.handed::inherit);
        try {
            reader.consumer = reader.obtainConsumer();
            reader.readAckFloor();
        } catch (IOException | JetStreamApiException e) {
            throw new StoreUnavailableException("Could not read the consumer " + reader.consumerName + " on "
                    + stream.context.getStreamName(), e);
        }
        readers.put(key, reader);
        reader.start();
    }

    /**
     * Partitioned only: refuses a stream read by this group with another partition count, then makes
     * sure every partition's consumer exists, so each starts where the subscription starts, whichever
     * member reads it later.
     */
    private void preparePartitions(String namespace, StreamContext stream, boolean initial)
            throws IOException, JetStreamApiException {
        SubjectLayout layout = streams.layout(namespace, stream);
        String durable = options.durableName();
        String streamName = stream.getStreamName();
        Pattern partitionConsumer = Pattern.compile(Pattern.quote(durable) + "-p\\d+-of-(\\d+)");
        for (String consumer : stream.getConsumerNames()) {
            java.util.regex.Matcher matcher = partitionConsumer.matcher(consumer);
            boolean otherCount = matcher.matches() && !matcher.group(1).equals(String.valueOf(options.partitions()));
            if (otherCount || consumer.equals(durable)) {
                throw new IllegalArgumentException("partitions: the durable subscription '" + durable + "' reads "
                        + streamName + " with " + (otherCount ? matcher.group(1) + " partitions" : "no partitions")
                        + " (consumer '" + consumer + "'), not " + options.partitions()
                        + "; the partition count of a group cannot change. Use another durable name, or delete "
                        + "the group's consumers on the stream to start it again");
            }
        }
        for (int p = 0; p < options.partitions(); p++) {
            new ConsumerReader(shared.reader(), subscriber, namespace, stream, layout, initial, p).obtainConsumer();
        }
        partitionedStreams.put(streamName, new PartitionedStream(namespace, stream, layout, initial));
    }

    void scheduleDiscovery() {
        discoveryTask = shared.discovery().scheduleWithFixedDelay(() -> {
            if (connection.getStatus() == Connection.Status.CLOSED) {
                return;
            }
            try {
                discover(false);
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Subscription '" + name + "': stream discovery failed, will retry", e);
            }
        }, shared.discoveryInterval().toMillis(), shared.discoveryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts a reader on each matching stream not read yet. */
    synchronized void discover(boolean initial) throws IOException, JetStreamApiException {
        if (!open) {
            return;
        }
        for (String namespace : streams.matchingNamespaces()) {
            String streamName = streams.streamName(namespace);
            if (readers.containsKey(streamName) || partitionedStreams.containsKey(streamName)) {
                continue;
            }
            Optional<StreamContext> found = streams.stream(namespace);
            if (found.isEmpty()) {
                continue;
            }
            StreamContext stream = found.get();
            if (options.partitioned()) {
                preparePartitions(namespace, stream, initial);
                PartitionedStream prepared = partitionedStreams.get(streamName);
                PartitionCoordinator partitions = coordinator;
                if (partitions != null) {
                    for (int p : partitions.owned()) {
                        startReader(prepared, p, Map.of());
                    }
                }
                continue;
            }
            // the layout matters only to partition readers: this one reads the whole stream
            ConsumerReader reader = new ConsumerReader(shared.reader(), subscriber, namespace, stream,
                    SubjectLayout.FLAT, initial, ConsumerReader.UNPARTITIONED);
            reader.consumer = reader.obtainConsumer();
            reader.readAckFloor();
            readers.put(streamName, reader);
            reader.start();
        }
    }

    /**
     * Asks the server about each consumer read, nothing when the connection is not up. Counts are
     * the consumer's: with a shared durable name they include events other processes hold, and
     * they include events the filter will skip unseen.
     */
    @Override
    public Optional<SubscriptionLag> lag() {
        if (!open || connection.getStatus() != Connection.Status.CONNECTED) {
            return Optional.empty();
        }
        return ConsumerLag.of(name, readers.values());
    }

    @Override
    public void close() {
        PartitionCoordinator partitions = coordinator;
        if (partitions != null) {
            partitions.stopPolling();
        }
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
            readers.values().forEach(ConsumerReader::stop);
        }
        shared.closed().accept(this);
        if (discoveryTask != null) {
            discoveryTask.cancel(false);
        }
        delivery.close();
        for (ConsumerReader reader : readers.values()) {
            reader.join();
            if (options.durableName() == null) {
                reader.deleteEphemeralConsumer();
            }
        }
        if (partitions != null) {
            Map<Integer, Map<String, Map<String, Long>>> handled = new java.util.HashMap<>();
            for (ConsumerReader reader : readers.values()) {
                if (reader.partition != ConsumerReader.UNPARTITIONED) {
                    handled.computeIfAbsent(reader.partition, p -> new java.util.HashMap<>())
                            .putAll(handledUnacknowledged(List.of(reader)));
                }
            }
            partitions.leave(handled);
        }
    }

    private static String readerKey(String streamName, int partition) {
        return partition == ConsumerReader.UNPARTITIONED ? streamName : streamName + "#" + partition;
    }

    /** A stream a partitioned subscription reads, with its partition consumers in place. */
    private record PartitionedStream(String namespace, StreamContext context, SubjectLayout layout,
                                     boolean foundAtStart) {
    }
}
