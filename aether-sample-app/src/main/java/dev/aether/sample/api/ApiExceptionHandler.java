package dev.aether.sample.api;

import dev.aether.StoreUnavailableException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;

import java.util.stream.Collectors;

/**
 * Turns bad input into {@code 400} problem details (RFC 9457) with a {@code field} property naming
 * what was wrong: a rejected value, a JSON value of the wrong type, or a body that is not JSON; and an
 * unavailable event store into {@code 503}.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiExceptionHandler {

    /** Property of every 400 answer: the JSON field, path variable or header at fault. */
    public static final String FIELD = "field";

    /**
     * @param ex a rejected value
     * @return 400 naming the field
     */
    @ExceptionHandler(InvalidFieldException.class)
    public ProblemDetail invalidField(InvalidFieldException ex) {
        return badRequest(ex.field(), ex.getMessage());
    }

    /**
     * @param ex a body Jackson could not read
     * @return 400 naming the field when Jackson knows it, {@code body} otherwise
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ProblemDetail unreadable(HttpMessageNotReadableException ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException json && !json.getPath().isEmpty()) {
                String field = json.getPath().stream()
                        .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                                : Integer.toString(reference.getIndex()))
                        .collect(Collectors.joining("."));
                return badRequest(field, field + ": has a value of the wrong type");
            }
        }
        return badRequest("body", "body: must be a JSON object");
    }

    /**
     * @param ex the store could not be reached or failed
     * @return 503; the outcome of a save may be unknown, so the caller should read before retrying
     */
    @ExceptionHandler(StoreUnavailableException.class)
    public ProblemDetail storeUnavailable(StoreUnavailableException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        problem.setTitle("Event store unavailable");
        return problem;
    }

    /**
     * A 400 problem naming a field.
     *
     * @param field  the field
     * @param detail what is wrong
     * @return the problem
     */
    public static ProblemDetail badRequest(String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setProperty(FIELD, field);
        return problem;
    }
}
