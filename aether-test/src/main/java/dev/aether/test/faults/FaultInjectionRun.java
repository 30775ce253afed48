package dev.aether.test.faults;

import dev.aether.Event;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;
import dev.aether.jetstream.GroupDeliveries;
import dev.aether.jetstream.JetStreamEventStore;
import dev.aether.jetstream.ReferenceConsumer;
import dev.aether.jetstream.StoredHistory;
import dev.aether.jetstream.JetStreamEventSubscriptions;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A Jepsen-style run against a JetStream cluster: writer processes (separate JVMs running {@link HistoryWriter})
 * save single events and batches to a few hundred actors with versions they choose, racing on a few hot ones; a durable subscriber
 * group (two members by default) handles every event; meanwhile a {@link FaultSchedule} kills, restarts and pauses nodes.
 * Afterwards the whole history is read back and checked by {@link HistoryChecker}.
 *
 * <pre>{@code
 * FaultInjectionRun.Result result = FaultInjectionRun.builder(cluster)
 *     .schedule(FaultSchedule.everyFault(1)).writers(3).actors(300)
 *     .build().run(System.out::println);
 * assert result.report().violations() == 0;
 * }</pre>
 *
 * <p>Writers save single events ({@code saveEvent}) and, a quarter of the time, batches of 2 to 5 events
 * ({@code saveEvents}, all or none). The stream has three replicas.
 */
public final class FaultInjectionRun {

    private static final String GROUP = "history-checker";
    private static final Duration READ_BACK_TIMEOUT = Duration.ofSeconds(60);
    private static final String REFERENCE_CONSUMER = "history-reference";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration SETTLE_POLL = Duration.ofSeconds(1);

    private final ClusterFaults cluster;
    private final FaultSchedule schedule;
    private final String namespace;
    private final int writers;
    private final int subscribers;
    private final int actors;
    private final int hotActors;
    private final Duration tail;
    private final Duration settle;
    private final Duration settleLimit;
    private final String classPath;

    private FaultInjectionRun(Builder b) {
        this.cluster = b.cluster;
        this.schedule = b.schedule;
        this.namespace = b.namespace;
        this.writers = b.writers;
        this.subscribers = b.subscribers;
        this.actors = b.actors;
        this.hotActors = b.hotActors;
        this.tail = b.tail;
        this.settle = b.settle;
        this.settleLimit = b.settleLimit;
        this.classPath = b.classPath;
    }

    /**
     * @param cluster the cluster to write to and inject faults into
     * @return a builder with the defaults documented on its setters
     */
    public static Builder builder(ClusterFaults cluster) {
        return new Builder(cluster);
    }

    /**
     * What a run found.
     *
     * @param report    the checker's figures
     * @param reference what a plain jnats consumer on the same stream was delivered, beside the group
     * @param windows   what applications saw during each fault
     * @param caughtUp  how long after the end of writing the group had handled every stored event (and the
     *                  reference consumer been delivered it); empty if the wait gave up first
     * @param took      the run's wall-clock time
     */
    public record Result(HistoryReport report, ReferenceFigures reference, List<FaultWindow> windows,
                         Optional<Duration> caughtUp, Duration took) {
        /** Copies the windows. */
        public Result {
            Objects.requireNonNull(report, "report must not be null");
            Objects.requireNonNull(reference, "reference must not be null");
            Objects.requireNonNull(caughtUp, "caughtUp must not be null");
            windows = List.copyOf(windows);
        }
    }

    /**
     * Runs writers, subscribers and faults, then checks the history.
     *
     * @param log receives progress lines (fault steps, phases)
     * @return the figures
     * @throws Exception if a writer process cannot be started or fails, or the store cannot be read back
     */
    public Result run(Consumer<String> log) throws Exception {
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("aether-faults-");
        List<Connection> connections = new ArrayList<>();
        List<JetStreamEventSubscriptions> group = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        ReferenceConsumer reference = null;
        GroupDeliveries deliveries = null;
        try {
            Connection admin = connect(connections);
            JetStreamEventStore store = JetStreamEventStore.builder(admin).namespace(namespace).replicas(3).build();
            reference = ReferenceConsumer.start(connect(connections), namespace, REFERENCE_CONSUMER);
            deliveries = GroupDeliveries.record(GROUP, namespace);
            ConcurrentLinkedQueue<Handling> handlings = new ConcurrentLinkedQueue<>();
            AtomicLong order = new AtomicLong();
            List<Subscription> members = new ArrayList<>();
            Connection memberConnection = null;
            for (int m = 1; m <= subscribers; m++) {
                String member = "member-" + m;
                memberConnection = connect(connections);
                JetStreamEventSubscriptions subscriptions = JetStreamEventSubscriptions.builder(memberConnection)
                        .parkingReplicas(3).build();
                group.add(subscriptions);
                members.add(subscriptions.subscribe(namespace, SubscriptionFilter.all(),
                        (ns, event) -> handlings.add(new Handling(member, order.incrementAndGet(), event.actorId(),
                                event.version(), event.id())),
                        SubscriptionOptions.builder().durableName(GROUP).startPosition(StartPosition.beginning()).build()));
            }
            ApplicationMonitor monitor = new ApplicationMonitor(memberConnection, store.streamName(), members.get(0));
            long seconds = schedule.plannedDuration().plus(tail).toSeconds() + 1;
            List<Path> recordFiles = startWriters(work, seconds, processes);
            log.accept("writers started for " + seconds + " s; injecting faults");
            List<FaultStep> steps;
            try {
                steps = schedule.inject(cluster, admin, store.streamName(), log);
            } finally {
                monitor.stopAfter(tail);
            }
            for (Process process : processes) {
                if (!process.waitFor(seconds + 120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a writer process did not finish within " + (seconds + 120) + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("a writer process exited with " + process.exitValue());
                }
            }
            List<SaveRecord> saves = new ArrayList<>();
            for (Path file : recordFiles) {
                try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                    lines.map(SaveRecord::parse).forEach(saves::add);
                }
            }
            log.accept(saves.size() + " saves recorded; reading the store back");
            StoredHistory history = readBack(admin);
            Map<String, List<Event>> stored = byActorOfRun(history);
            var state = admin.jetStreamManagement().getStreamInfo(store.streamName()).getStreamState();
            log.accept("stream " + store.streamName() + ": messages " + state.getMsgCount() + ", sequences "
                    + state.getFirstSequence() + " to " + state.getLastSequence() + ", deleted " + state.getDeletedCount());
            Set<String> storedIds = stored.values().stream().flatMap(List::stream).map(Event::id)
                    .collect(Collectors.toSet());
            log.accept("waiting for the subscriber group and the reference consumer to see every event, as long as "
                    + "they make progress (up to " + settleLimit.toSeconds() + " s), or " + settle.toSeconds()
                    + " s without progress");
            Optional<Duration> caughtUp = awaitGroup(handlings, storedIds, reference, admin, store.streamName(),
                    writingEndedMillis(saves), log);
            reference.close();
            Map<String, Set<Long>> moved = reference.movedEvents();
            log.accept(moved.size() + " event(s) delivered to the reference consumer at more than one stream sequence"
                    + moved.entrySet().stream().limit(5).map(e -> " | " + e.getKey() + " at " + e.getValue())
                    .collect(Collectors.joining()));
            group.forEach(JetStreamEventSubscriptions::close);
            group.clear();
            HistoryReport report = HistoryChecker.check(saves, stored, List.copyOf(handlings), history.forkedActors());
            Set<String> handledIds = handlings.stream().map(Handling::eventId).collect(Collectors.toSet());
            List<SaveRecord> brokenSaves = HistoryChecker.brokenSaves(saves, stored);
            for (SaveRecord broken : brokenSaves) {
                log.accept("broken save: " + broken.toLine() + " | handled by the group: "
                        + broken.eventIds().stream().filter(handledIds::contains).collect(Collectors.joining(" "))
                        + " | stored " + broken.actorId() + ": "
                        + stored.get(broken.actorId()).stream().map(e -> e.id() + "@" + e.version())
                        .collect(Collectors.joining(" ")));
            }
            Set<String> referenceIds = reference.deliveredIds();
            stored.forEach((actor, events) -> events.stream().filter(e -> !handledIds.contains(e.id()))
                    .forEach(e -> log.accept("never handled: " + actor + "@" + e.version() + " " + e.id()
                            + " | delivered to the reference consumer: " + (referenceIds.contains(e.id()) ? "yes" : "no")
                            + " | stored " + actor + ": " + events.stream()
                            .map(other -> other.version() + (handledIds.contains(other.id()) ? "" : "!"))
                            .collect(Collectors.joining(" ")))));
            // Handlings of events the stream does not hold: the group was delivered a message the stream
            // no longer has (replicas that diverged); each is logged with the version the stream holds instead.
            Map<String, Handling> handledNotStored = new LinkedHashMap<>();
            handlings.stream().filter(h -> !storedIds.contains(h.eventId()))
                    .forEach(h -> handledNotStored.putIfAbsent(h.eventId(), h));
            handledNotStored.values().forEach(h -> log.accept("handled but not stored: " + h.actorId() + "@"
                    + h.version() + " " + h.eventId() + " by " + h.member() + " | stored at that version: "
                    + stored.getOrDefault(h.actorId(), List.of()).stream().filter(e -> e.version() == h.version())
                    .map(Event::id).collect(Collectors.joining(" "))));
            log.accept(handledNotStored.size() + " event(s) handled but not stored");
            // The events handled most often, per member: tells a member handling one event again and again
            // from redeliveries alternating between members.
            handlings.stream().collect(Collectors.groupingBy(Handling::eventId)).values().stream()
                    .filter(calls -> calls.size() > 2)
                    .sorted(java.util.Comparator.comparingInt((List<Handling> calls) -> calls.size()).reversed())
                    .limit(3)
                    .forEach(calls -> log.accept("handled " + calls.size() + " times: " + calls.get(0).actorId() + "@"
                            + calls.get(0).version() + " " + calls.get(0).eventId() + ", stored "
                            + stored.getOrDefault(calls.get(0).actorId(), List.of()).stream()
                                    .filter(e -> e.id().equals(calls.get(0).eventId())).count() + " time(s) | "
                            + calls.stream().collect(Collectors.groupingBy(Handling::member, java.util.TreeMap::new,
                                    Collectors.counting()))));
            List<FaultWindow> windows = new ArrayList<>();
            long writingEnded = writingEndedMillis(saves);
            for (int i = 0; i < steps.size(); i++) {
                long end = i + 1 < steps.size() ? steps.get(i + 1).startMillis() : writingEnded;
                windows.add(FaultWindow.of(steps.get(i), end, saves, monitor.samples()));
            }
            Set<String> neverHandled = new HashSet<>(storedIds);
            neverHandled.removeAll(handledIds);
            if (!deliveries.recording()) {
                throw new IllegalStateException("The readers' deliveries were not recorded: GroupDeliveries listens "
                        + "to their TRACE log through java.util.logging, and System.Logger logs elsewhere here");
            }
            GroupDeliveries toGroup = deliveries;
            Set<String> lostByReader = neverHandled.stream()
                    .filter(id -> toGroup.delivered(history.storedAt().get(id))).collect(Collectors.toSet());
            lostByReader.forEach(id -> log.accept("never handled although delivered to a member: " + id + " at "
                    + history.storedAt().get(id)));
            ReferenceFigures figures = new ReferenceFigures(lostByReader.size(),
                    storedIds.stream().filter(id -> !referenceIds.contains(id)).count(),
                    neverHandled.stream().filter(referenceIds::contains).count(),
                    neverHandled.stream().filter(id -> !referenceIds.contains(id)).count(),
                    brokenSaves.stream().filter(save -> save.outcome() == Outcome.OK)
                            .filter(save -> save.eventIds().stream()
                                    .anyMatch(id -> handledIds.contains(id) || referenceIds.contains(id)))
                            .count(),
                    HistoryChecker.sameVersionAcknowledgedTwiceAfterLoss(saves, storedIds,
                            union(handledIds, referenceIds)));
            log.accept(figures.toString());
            return new Result(report, figures, windows, caughtUp, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            if (reference != null) {
                reference.close();
            }
            if (deliveries != null) {
                deliveries.close();
            }
            processes.forEach(Process::destroyForcibly);
            group.forEach(JetStreamEventSubscriptions::close);
            for (Connection connection : connections) {
                connection.close();
            }
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private List<Path> startWriters(Path work, long seconds, List<Process> processes) throws IOException {
        List<Path> files = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 1; i <= writers; i++) {
            Path file = work.resolve("writer-" + i + ".tsv");
            files.add(file);
            Process process = new ProcessBuilder(java, "-cp", classPath, HistoryWriter.class.getName(), cluster.url(),
                    namespace, "3", "writer-" + i, Integer.toString(actors), Integer.toString(hotActors),
                    Long.toString(seconds), file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            processes.add(process);
        }
        for (Process process : processes) {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = output.readLine();
            if (!"READY".equals(line)) {
                throw new IllegalStateException("a writer process did not start: it printed " + line);
            }
        }
        return files;
    }

    /**
     * The stream as stored, read retried until the cluster answers. Read raw ({@link StoredHistory}), not
     * through the store, whose reads refuse a history whose versions do not increase: the checker must see
     * and count such histories.
     */
    private StoredHistory readBack(Connection connection) {
        return await().atMost(READ_BACK_TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> StoredHistory.read(connection, namespace, Duration.ofSeconds(5)), Objects::nonNull);
    }

    /** @return the events of each of the run's actors, in stream order, every actor present (empty if none stored) */
    private Map<String, List<Event>> byActorOfRun(StoredHistory history) {
        Map<String, List<Event>> stored = new LinkedHashMap<>();
        for (int i = 0; i < actors; i++) {
            String actor = "actor-" + i;
            stored.put(actor, history.byActor().getOrDefault(actor, List.of()));
        }
        return stored;
    }

    /**
     * Waits until the group has handled, and the reference consumer been delivered, every stored event: as long as
     * either makes progress, up to {@code settleLimit}; it gives up after {@code settle} without progress. Logs the
     * progress and the group consumer's state every 10 s, and on giving up the reader threads' stacks.
     *
     * @return how long after the end of writing both had seen every event; empty if they had not when it gave up
     */
    private Optional<Duration> awaitGroup(Collection<Handling> handlings, Set<String> storedIds,
                                          ReferenceConsumer reference, Connection admin, String stream,
                                          long writingEndedMillis, Consumer<String> log) throws InterruptedException {
        long started = System.nanoTime();
        long lastProgress = started;
        long lastLog = started;
        long seen = -1;
        while (true) {
            Set<String> handled = handlings.stream().map(Handling::eventId).collect(Collectors.toCollection(HashSet::new));
            long handledStored = storedIds.stream().filter(handled::contains).count();
            long delivered = storedIds.stream().filter(reference::delivered).count();
            if (handledStored == storedIds.size() && delivered == storedIds.size()) {
                Duration after = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - writingEndedMillis));
                log.accept("the group had handled every stored event " + after.toSeconds() + " s after writing ended");
                return Optional.of(after);
            }
            long now = System.nanoTime();
            if (handledStored + delivered > seen) {
                seen = handledStored + delivered;
                lastProgress = now;
            }
            boolean givingUp = now - lastProgress > settle.toNanos() || now - started > settleLimit.toNanos();
            if (givingUp || now - lastLog > PROGRESS_EVERY.toNanos()) {
                // the consumer's state is asked for only when it is logged
                String progress = handledStored + " of " + storedIds.size() + " stored events handled, " + delivered
                        + " delivered to the reference consumer | " + consumerState(admin, stream);
                if (givingUp) {
                    log.accept("gave up waiting after " + Duration.ofNanos(now - started).toSeconds() + " s: "
                            + progress);
                    Thread.getAllStackTraces().forEach((thread, stack) -> {
                        if (thread.getName().startsWith("aether-subscription")) {
                            log.accept("thread " + thread.getName() + " " + thread.getState() + Arrays.stream(stack)
                                    .limit(12).map(frame -> "\n    at " + frame).collect(Collectors.joining()));
                        }
                    });
                    return Optional.empty();
                }
                lastLog = now;
                log.accept("settling: " + progress);
            }
            Thread.sleep(SETTLE_POLL.toMillis());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.addAll(b);
        return both;
    }

    private static long writingEndedMillis(List<SaveRecord> saves) {
        return saves.stream().mapToLong(SaveRecord::endMillis).max().orElse(System.currentTimeMillis());
    }

    /** @return the group's consumer as the server reports it, for the log; or why it could not be read */
    private static String consumerState(Connection connection, String stream) {
        try {
            ConsumerInfo info = connection.jetStreamManagement().getConsumerInfo(stream, GROUP);
            return "consumer " + GROUP + ": pending " + info.getNumPending() + ", ack pending "
                    + info.getNumAckPending() + ", redelivered " + info.getRedelivered() + ", waiting pulls "
                    + info.getNumWaiting() + ", delivered up to " + info.getDelivered().getStreamSequence()
                    + ", ack floor " + info.getAckFloor().getStreamSequence() + ", leader "
                    + (info.getClusterInfo() == null ? "?" : info.getClusterInfo().getLeader());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return "consumer " + GROUP + " could not be read: " + e;
        }
    }

    private Connection connect(List<Connection> connections) throws IOException, InterruptedException {
        Connection connection = Nats.connect(Options.builder().server(cluster.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100)).connectionTimeout(Duration.ofSeconds(5))
                .errorListener(new ErrorListener() { }).build());
        connections.add(connection);
        return connection;
    }

    /** Configures a {@link FaultInjectionRun}; every default is stated on its setter. */
    public static final class Builder {
        private final ClusterFaults cluster;
        private FaultSchedule schedule = FaultSchedule.everyFault(1);
        private String namespace = "faults";
        private int writers = 3;
        private int subscribers = 2;
        private int actors = 300;
        private int hotActors = 10;
        private Duration tail = Duration.ofSeconds(5);
        private Duration settle = Duration.ofSeconds(90);
        private Duration settleLimit = Duration.ofMinutes(10);
        private String classPath = System.getProperty("java.class.path");

        private Builder(ClusterFaults cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster must not be null");
        }

        /** @param schedule the faults; default every fault once @return this builder */
        public Builder schedule(FaultSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule must not be null");
            return this;
        }

        /** @param namespace the namespace written; default {@code faults} (use a fresh one per run) @return this builder */
        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace must not be null");
            return this;
        }

        /** @param writers writer processes, at least 1; default 3 @return this builder */
        public Builder writers(int writers) {
            this.writers = positive(writers, "writers");
            return this;
        }

        /**
         * @param subscribers members of the durable subscriber group, each with a connection of its own; default 2
         * @return this builder
         */
        public Builder subscribers(int subscribers) {
            this.subscribers = positive(subscribers, "subscribers");
            return this;
        }

        /**
         * @param actors    actors written, {@code actor-0} to {@code actor-<actors - 1>}; default 300
         * @param hotActors the first ones, which get 30 % of all saves from every writer; default 10
         * @return this builder
         */
        public Builder actors(int actors, int hotActors) {
            if (hotActors < 1 || hotActors > actors) {
                throw new IllegalArgumentException("hotActors must be between 1 and actors (" + actors + "), was " + hotActors);
            }
            this.actors = positive(actors, "actors");
            this.hotActors = hotActors;
            return this;
        }

        /** @param tail writing after the last fault is healed; default 5 s @return this builder */
        public Builder tail(Duration tail) {
            this.tail = Objects.requireNonNull(tail, "tail must not be null");
            return this;
        }

        /**
         * @param settle      after writing, the longest the wait for the group to catch up goes on without progress
         *                    (no event newly handled or delivered to the reference consumer); default 90 s
         * @param settleLimit the longest wait in all, progress or not; default 10 min
         * @return this builder
         */
        public Builder settle(Duration settle, Duration settleLimit) {
            this.settle = Objects.requireNonNull(settle, "settle must not be null");
            this.settleLimit = Objects.requireNonNull(settleLimit, "settleLimit must not be null");
            return this;
        }

        /** @param classPath the class path of the writer JVMs; default this JVM's @return this builder */
        public Builder classPath(String classPath) {
            this.classPath = Objects.requireNonNull(classPath, "classPath must not be null");
            return this;
        }

        /** @return the run */
        public FaultInjectionRun build() {
            return new FaultInjectionRun(this);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
