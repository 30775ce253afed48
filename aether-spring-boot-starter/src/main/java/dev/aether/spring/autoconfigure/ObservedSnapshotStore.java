package dev.aether.spring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.VersionConflictException;
import dev.aether.spring.observation.AetherObservations;
import dev.aether.spring.observation.EventSaveContext;
import io.micrometer.observation.Observation;

/**
 * A {@link SnapshotStore} that makes each save an {@value AetherObservations#SAVE} observation and,
 * inside an observation, writes the trace context into the saved events' metadata (see
 * {@link AetherObservations}). Reads and snapshots pass through unobserved.
 */
final class ObservedSnapshotStore extends ForwardingSnapshotStore {

    private final AetherObservations observations;
    private final String namespace;

    /**
     * @param delegate     the store that saves
     * @param observations makes the observations
     * @param namespace    the namespace the store saves into, for the tags
     */
    ObservedSnapshotStore(SnapshotStore delegate, AetherObservations observations, String namespace) {
        super(delegate);
        this.observations = Objects.requireNonNull(observations, "observations must not be null");
        this.namespace = Objects.requireNonNull(namespace, "namespace must not be null");
    }

    @Override
    public void saveEvent(Event event) {
        observe(List.of(event), traced -> delegate().saveEvent(traced.get(0)));
    }

    @Override
    public void saveEvents(List<Event> events) {
        observe(events, delegate()::saveEvents);
    }

    /** One observation from the call until the save completes. */
    @Override
    public CompletableFuture<Void> saveEventAsync(Event event) {
        Objects.requireNonNull(event, "event must not be null");
        return observeAsync(List.of(event), traced -> delegate().saveEventAsync(traced.get(0)));
    }

    /** One observation from the call until the save completes. */
    @Override
    public CompletableFuture<Void> saveEventsAsync(List<Event> events) {
        Objects.requireNonNull(events, "events must not be null");
        return observeAsync(events, delegate()::saveEventsAsync);
    }

    private CompletableFuture<Void> observeAsync(List<Event> events,
                                                 Function<List<Event>, CompletableFuture<Void>> save) {
        Observation observation = start(events);
        CompletableFuture<Void> saved;
        try (Observation.Scope scope = observation.openScope()) {
            saved = save.apply(traced(observation, events));
        } catch (RuntimeException | Error ex) {
            stop(observation, ex);
            throw ex;
        }
        return saved.whenComplete((done, failure) -> stop(observation,
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
    }

    private void observe(List<Event> events, Consumer<List<Event>> save) {
        Observation observation = start(events);
        try (Observation.Scope scope = observation.openScope()) {
            save.accept(traced(observation, events));
        } catch (RuntimeException | Error ex) {
            stop(observation, ex);
            throw ex;
        }
        stop(observation, null);
    }

    private Observation start(List<Event> events) {
        return observations.save(events, namespace).start();
    }

    /** @return the events with the trace context the started observation carries, if any */
    private static List<Event> traced(Observation observation, List<Event> events) {
        Map<String, String> trace = observation.getContext() instanceof EventSaveContext context
                ? context.traceContext() : Map.of();
        return trace.isEmpty() ? events : events.stream().map(event -> withTrace(event, trace)).toList();
    }

    /** Tags the outcome ({@code success}, {@code conflict}, {@code error}) and stops the observation. */
    private static void stop(Observation observation, Throwable failure) {
        String outcome = failure == null ? "success" : failure instanceof VersionConflictException ? "conflict" : "error";
        if (failure != null) {
            observation.error(failure);
        }
        observation.lowCardinalityKeyValue(AetherObservations.OUTCOME, outcome);
        observation.stop();
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
