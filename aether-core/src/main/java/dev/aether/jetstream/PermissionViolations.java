package dev.aether.jetstream;

import dev.aether.PermissionDeniedException;
import io.nats.client.Connection;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a permissions violation the server reported on the connection into a {@link PermissionDeniedException}.
 * NATS drops a message whose subject the user may not publish to and reports it asynchronously as an error of
 * the connection, so the request that sent it only times out. After such a failure the connection's last error
 * tells whether the timeout was in fact a refusal: it is, when the refused subject names one of the stream,
 * bucket or subject the operation used.
 */
final class PermissionViolations {

    private static final String MARKER = "permissions violation";

    private PermissionViolations() {
    }

    /**
     * @param connection the connection the operation used
     * @param what       what could not be done, for the message
     * @param cause      the failure the operation saw
     * @param names      streams, buckets and subjects the operation used; a refused subject that equals one of
     *                   them, or has one of them as a token, belongs to this operation
     * @return the refusal, or empty when the connection reported none that concerns these names
     */
    static Optional<PermissionDeniedException> reported(Connection connection, String what, Exception cause,
                                                        String... names) {
        String error = connection.getLastError();
        if (error == null || !error.toLowerCase(Locale.ROOT).contains(MARKER)) {
            return Optional.empty();
        }
        String subject = refusedSubject(error);
        boolean concernsThis = Arrays.stream(names).anyMatch(name -> subject.equals(name)
                || Arrays.asList(subject.split("\\.")).contains(name));
        return concernsThis ? Optional.of(new PermissionDeniedException(what, error.strip(), cause)) : Optional.empty();
    }

    /**
     * @param fallback what to throw when the connection reported no refusal that concerns these names
     * @return the refusal as a {@link PermissionDeniedException} (its message starts with the fallback's), or the fallback
     */
    static RuntimeException explain(Connection connection, RuntimeException fallback, String... names) {
        Exception cause = fallback.getCause() instanceof Exception e ? e : fallback;
        return reported(connection, fallback.getMessage(), cause, names).<RuntimeException>map(denied -> denied)
                .orElse(fallback);
    }

    /** The subject in {@code Permissions Violation for Publish to "subject"} (quotes optional). */
    private static String refusedSubject(String error) {
        int to = error.lastIndexOf(" to ");
        String subject = to < 0 ? error : error.substring(to + 4);
        return subject.strip().replace("\"", "").replace("'", "");
    }
}
