package dev.aether.sample.api;

/** A request field or header has a value the API does not accept; answered with 400 naming the field. */
public class InvalidFieldException extends RuntimeException {

    private final String field;

    /**
     * @param field   the JSON field, path variable or header
     * @param message what is wrong and what is accepted
     */
    public InvalidFieldException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** @return the field, path variable or header */
    public String field() {
        return field;
    }
}
