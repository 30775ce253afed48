package dev.aether.jetstream;

import dev.aether.AetherException;

/**
 * The namespace's JetStream stream already exists with settings the store cannot work with (another
 * replica count, storage, limits or subjects). The message names every setting that differs.
 */
public class IncompatibleStreamException extends AetherException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which stream and which settings differ
     */
    public IncompatibleStreamException(String message) {
        super(message);
    }
}
