package dev.aether.test.faults;

/** What a writer learned of one save. */
public enum Outcome {
    /** Acknowledged: the event is stored. */
    OK,
    /** Refused with {@code VersionConflictException}: nothing stored. */
    CONFLICT,
    /** Failed with an outcome the store says is known: nothing stored. */
    UNAVAILABLE,
    /** Failed with {@code StoreUnavailableException.outcomeUnknown()}: the event may or may not be stored. */
    UNKNOWN
}
