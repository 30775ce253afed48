package dev.aether.spring.metrics;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.VersionConflictException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A {@link SnapshotStore} that records Micrometer metrics around another one:
 * <ul>
 * <li>{@code aether.store.save}: timer of {@code saveEvent} and {@code saveEvents} (one sample a batch), tags {@code namespace} and {@code outcome}
 * ({@code success}, {@code conflict}, {@code error});</li>
 * <li>{@code aether.store.conflicts}: counter of version conflicts, tag {@code namespace};</li>
 * <li>{@code aether.store.read}: timer of reads, tags {@code namespace}, {@code operation}
 * ({@code events}, {@code latest-version}, {@code snapshot}) and {@code outcome} ({@code success},
 * {@code error}).</li>
 * </ul>
 */
public final class MeteredSnapshotStore implements SnapshotStore {

    private final SnapshotStore delegate;
    private final MeterRegistry registry;
    private final String namespace;
    private final Counter conflicts;

    /**
     * @param delegate  the store to measure
     * @param registry  where to record
     * @param namespace the namespace tag
     */
    public MeteredSnapshotStore(SnapshotStore delegate, MeterRegistry registry, String namespace) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.namespace = Objects.requireNonNull(namespace, "namespace must not be null");
        this.conflicts = Counter.builder("aether.store.conflicts").description("Saves refused for a version conflict")
                .tag("namespace", namespace).register(registry);
    }

    /** @return the measured store */
    public SnapshotStore delegate() {
        return delegate;
    }

    @Override
    public void saveEvent(Event event) {
        timedSave(() -> delegate.saveEvent(event));
    }

    /** Timed and counted like {@link #saveEvent(Event)}: one sample per batch. */
    @Override
    public void saveEvents(List<Event> events) {
        timedSave(() -> delegate.saveEvents(events));
    }

    private void timedSave(Runnable save) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            save.run();
            outcome = "success";
        } catch (VersionConflictException ex) {
            outcome = "conflict";
            conflicts.increment();
            throw ex;
        } finally {
            Timer.builder("aether.store.save").description("Time to save an event")
                    .tags("namespace", namespace, "outcome", outcome).register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public List<Event> getEvents(String actorId, long fromVersion) {
        return read("events", () -> delegate.getEvents(actorId, fromVersion));
    }

    @Override
    public long getLatestVersion(String actorId) {
        return read("latest-version", () -> delegate.getLatestVersion(actorId));
    }

    @Override
    public void saveSnapshot(ActorSnapshot snapshot) {
        delegate.saveSnapshot(snapshot);
    }

    @Override
    public Optional<ActorSnapshot> getLatestSnapshot(String actorId) {
        return read("snapshot", () -> delegate.getLatestSnapshot(actorId));
    }

    private <T> T read(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "success";
            return result;
        } finally {
            Timer.builder("aether.store.read").description("Time to read from the event store")
                    .tags("namespace", namespace, "operation", operation, "outcome", outcome).register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
