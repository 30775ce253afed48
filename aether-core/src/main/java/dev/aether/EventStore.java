package dev.aether;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only store of events, one stream per actor, in which versions strictly increase.
 *
 * <p>The caller supplies each event's version, normally {@code getLatestVersion(actorId) + 1}; the
 * store never assigns or increments versions. A save whose version is not above the actor's latest
 * fails with {@link VersionConflictException} and stores nothing; the store never retries it. Gaps
 * are allowed: after version 1, version 5 is accepted.
 *
 * <p><b>Re-saves are idempotent.</b> Saving an event the store already holds (same event id at the
 * same version of the same actor), alone or as part of a batch, is a success and stores nothing
 * more, whichever store instance or process saves it again: retrying after
 * {@link StoreUnavailableException#outcomeUnknown()}, or after a restart, is safe. A different event
 * at a stored version is always a {@link VersionConflictException}. Each implementation says how
 * long it remembers stored events for this (the in-memory and JetStream stores: as long as they
 * hold the event).
 *
 * <p><b>Event ids are unique within an actor.</b> Saving an event whose id the actor already holds
 * at another version fails with {@link DuplicateEventIdException} and stores nothing. Each
 * implementation documents the window in which it recognises such a duplicate.
 *
 * <p>Implementations are thread-safe.
 */
public interface EventStore {

    /**
     * Appends an event to its actor's stream.
     *
     * @param event the event; its {@code version} must be above the actor's latest version
     * @throws VersionConflictException   if {@code event.version() <= getLatestVersion(event.actorId())}
     * @throws StoreUnavailableException if the store could not be reached
     * @throws NullPointerException       if {@code event} is null
     */
    void saveEvent(Event event);

    /**
     * Appends several events of one actor atomically: either every event is stored or none is, and
     * no reader ever sees part of the batch. Versions are checked as for {@link #saveEvent(Event)},
     * against the first event: a conflict reports the first event's version as attempted.
     *
     * @param events one actor's events, versions strictly increasing, the first above the actor's latest
     * @throws IllegalArgumentException   if {@code events} is empty, holds events of several actors,
     *                                    versions that do not strictly increase, or one event id twice
     * @throws VersionConflictException   if the first version is not above the actor's latest
     * @throws DuplicateEventIdException if the actor already holds one of the event ids at another version
     * @throws StoreUnavailableException if the store could not be reached
     * @throws NullPointerException       if {@code events} or one of them is null
     */
    void saveEvents(List<Event> events);

    /**
     * Saves an event without waiting for the store: saves of different actors may be in flight
     * together, saves of one actor are applied in call order, each checked against the one before.
     * The future fails with the exception {@link #saveEvent(Event)} would throw. This default saves
     * synchronously and returns a completed future; stores that can pipeline override it.
     *
     * @param event the event
     * @return a future completed when the event is stored
     * @throws NullPointerException if {@code event} is null
     */
    default CompletableFuture<Void> saveEventAsync(Event event) {
        Objects.requireNonNull(event, "event must not be null");
        try {
            saveEvent(event);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The asynchronous form of {@link #saveEvents(List)}, ordered with the other asynchronous saves of
     * the same actor as {@link #saveEventAsync(Event)} is. The default saves synchronously.
     *
     * @param events one actor's events, as for {@link #saveEvents(List)}
     * @return a future completed when every event is stored, failed with the exception
     *         {@link #saveEvents(List)} would throw
     * @throws NullPointerException if {@code events} is null
     */
    default CompletableFuture<Void> saveEventsAsync(List<Event> events) {
        Objects.requireNonNull(events, "events must not be null");
        try {
            saveEvents(events);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Reads an actor's events whose version is at least {@code fromVersion}, in ascending version order.
     *
     * @param actorId     the actor
     * @param fromVersion the lowest version to return; 0 or 1 reads the whole stream
     * @return an unmodifiable list, empty for an unknown actor or a version past the end
     * @throws IllegalArgumentException  if {@code actorId} is blank or too long, or {@code fromVersion} is negative
     * @throws StoreUnavailableException if the store could not be reached
     */
    List<Event> getEvents(String actorId, long fromVersion);

    /**
     * Reads the version of an actor's latest event.
     *
     * @param actorId the actor
     * @return the latest version, or 0 when the actor has no events
     * @throws IllegalArgumentException  if {@code actorId} is blank or too long
     * @throws StoreUnavailableException if the store could not be reached
     */
    long getLatestVersion(String actorId);
}
