package dev.aether.sample.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The ids a command request carries: {@value #CORRELATION_HEADER} (kept from the caller, so every event
 * of one user action shares it, or generated), {@value #REQUEST_HEADER} (the command's own id, which
 * becomes the causation id of the events it saves; generated when absent) and the optional
 * {@value #USER_HEADER}. Both ids are echoed in the response headers.
 *
 * @param correlationId the correlation id
 * @param requestId     the request's id, the events' causation id
 * @param userId        the caller, or null
 */
public record RequestIds(String correlationId, String requestId, String userId) {

    /** Header carrying the correlation id. */
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** Header carrying the request's own id. */
    public static final String REQUEST_HEADER = "X-Request-Id";
    /** Header naming the caller. */
    public static final String USER_HEADER = "X-User-Id";

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    /**
     * Reads the ids from a request, generating the missing ones, and echoes them in the response.
     *
     * @param request  the HTTP request
     * @param response the HTTP response
     * @return the ids
     * @throws InvalidFieldException if a header holds something other than up to 128 of {@code [A-Za-z0-9._:@-]}
     */
    public static RequestIds from(HttpServletRequest request, HttpServletResponse response) {
        String correlationId = header(request, CORRELATION_HEADER);
        String requestId = header(request, REQUEST_HEADER);
        RequestIds ids = new RequestIds(correlationId != null ? correlationId : UUID.randomUUID().toString(),
                requestId != null ? requestId : UUID.randomUUID().toString(), header(request, USER_HEADER));
        response.setHeader(CORRELATION_HEADER, ids.correlationId());
        response.setHeader(REQUEST_HEADER, ids.requestId());
        return ids;
    }

    private static String header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        if (value == null) {
            return null;
        }
        if (!ACCEPTED.matcher(value).matches()) {
            throw new InvalidFieldException(name, "must be 1 to 128 characters of [A-Za-z0-9._:@-]");
        }
        return value;
    }
}
