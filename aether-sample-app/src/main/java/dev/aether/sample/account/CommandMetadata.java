package dev.aether.sample.account;

import dev.aether.Event;

import java.util.Objects;

/**
 * Where a command came from, copied into the metadata of every event it saves.
 *
 * @param correlationId the id shared by everything one user action caused
 * @param causationId   the id of the command (request) that caused the events
 * @param userId        who asked, or null
 * @param origin        which instance of the service handled the command
 */
public record CommandMetadata(String correlationId, String causationId, String userId, String origin) {

    /** Metadata key: the service instance that saved the event. */
    public static final String ORIGIN = "origin";
    /** Metadata key: the command's name. */
    public static final String COMMAND = "command";
    /** Metadata key: on which attempt of the concurrency loop the event was saved. */
    public static final String ATTEMPT = "attempt";

    /** Requires the ids and the origin. */
    public CommandMetadata {
        Objects.requireNonNull(correlationId, "correlationId must not be null");
        Objects.requireNonNull(causationId, "causationId must not be null");
        Objects.requireNonNull(origin, "origin must not be null");
    }

    /**
     * Adds this metadata to an event.
     *
     * @param event   the event being built
     * @param command the command's name ({@code Withdraw})
     * @param attempt the attempt that decided the event, from 1
     * @return the same builder
     */
    Event.Builder applyTo(Event.Builder event, String command, int attempt) {
        event.correlationId(correlationId).causationId(causationId)
                .metadata(ORIGIN, origin).metadata(COMMAND, command).metadata(ATTEMPT, Integer.toString(attempt));
        if (userId != null) {
            event.userId(userId);
        }
        return event;
    }
}
