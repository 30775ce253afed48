package dev.aether.test.faults;

/**
 * One call of a subscriber's handler in a history.
 *
 * @param member  the member of the subscriber group that handled it
 * @param order   position among all handlings of the run (handlings of one member are in handling order)
 * @param actorId the event's actor
 * @param version the event's version
 * @param eventId the event's id
 */
public record Handling(String member, long order, String actorId, long version, String eventId) {
}
