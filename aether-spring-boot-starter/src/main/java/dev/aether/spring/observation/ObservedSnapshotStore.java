package dev.aether.spring.observation;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.VersionConflictException;
import io.micrometer.observation.Observation;

/**
 * A {@link SnapshotStore} that makes each save an {@value AetherObservations#SAVE} observation and,
 * inside an observation, writes the trace context into the saved events' metadata (see
 * {@link AetherObservations}). Reads and snapshots pass through unobserved.
 */
public final class ObservedSnapshotStore implements SnapshotStore {

    private final SnapshotStore delegate;
    private final AetherObservations observations;
    private final String namespace;

    /**
     * @param delegate     the store that saves
     * @param observations makes the observations
     * @param namespace    the namespace the store saves into, for the tags
     */
    public ObservedSnapshotStore(SnapshotStore delegate, AetherObservations observations, String namespace) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.observations = Objects.requireNonNull(observations, "observations must not be null");
        this.namespace = Objects.requireNonNull(namespace, "namespace must not be null");
    }

    /** @return the observed store */
    public SnapshotStore delegate() {
        return delegate;
    }

    @Override
    public void saveEvent(Event event) {
        observe(List.of(event), traced -> delegate.saveEvent(traced.get(0)));
    }

    @Override
    public List<Event> getEvents(String actorId, long fromVersion) {
        return delegate.getEvents(actorId, fromVersion);
    }

    @Override
    public long getLatestVersion(String actorId) {
        return delegate.getLatestVersion(actorId);
    }

    @Override
    public void saveSnapshot(ActorSnapshot snapshot) {
        delegate.saveSnapshot(snapshot);
    }

    @Override
    public Optional<ActorSnapshot> getLatestSnapshot(String actorId) {
        return delegate.getLatestSnapshot(actorId);
    }

    /** Runs one save call in an observation, handing it the events with the trace context added. */
    private void observe(List<Event> events, Consumer<List<Event>> save) {
        boolean inTrace = observations.inObservation();
        Observation observation = observations.save(events, namespace).start();
        String outcome = "error";
        try (Observation.Scope scope = observation.openScope()) {
            Map<String, String> trace = inTrace && observation.getContext() instanceof EventSaveContext context
                    ? context.traceContext() : Map.of();
            save.accept(trace.isEmpty() ? events : events.stream().map(event -> withTrace(event, trace)).toList());
            outcome = "success";
        } catch (VersionConflictException ex) {
            outcome = "conflict";
            observation.error(ex);
            throw ex;
        } catch (RuntimeException | Error ex) {
            observation.error(ex);
            throw ex;
        } finally {
            observation.lowCardinalityKeyValue(AetherObservations.OUTCOME, outcome);
            observation.stop();
        }
    }

    private static Event withTrace(Event event, Map<String, String> trace) {
        Event result = event;
        for (Map.Entry<String, String> field : trace.entrySet()) {
            if (!result.metadata().containsKey(field.getKey())) {
                result = result.withMetadata(field.getKey(), field.getValue());
            }
        }
        return result;
    }
}
