package dev.aether.spring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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

    /** Runs one save call in an observation, handing it the events with the trace context added. */
    private void observe(List<Event> events, Consumer<List<Event>> save) {
        Observation observation = observations.save(events, namespace).start();
        String outcome = "error";
        try (Observation.Scope scope = observation.openScope()) {
            Map<String, String> trace = observation.getContext() instanceof EventSaveContext context
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
