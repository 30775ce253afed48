package dev.aether;

import java.util.List;

/**
 * An append-only store of events, one stream per actor, in which versions strictly increase.
 *
 * <p>The caller supplies each event's version, normally {@code getLatestVersion(actorId) + 1}; the
 * store never assigns or increments versions. A save whose version is not above the actor's latest
 * fails with {@link VersionConflictException} and stores nothing; the store never retries it. Gaps
 * are allowed: after version 1, version 5 is accepted.
 *
 * <p>A store that can lose an acknowledgement (JetStream) recognises a save of the very event it
 * already holds at that (actor, version), same event id, within the stream's duplicate window, and
 * reports it as a success instead of a conflict, so that retrying after
 * {@link StoreUnavailableException#outcomeUnknown()} is safe. A different event at a stored version
 * is always a {@link VersionConflictException}.
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
