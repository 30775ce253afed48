package dev.aether;

import java.util.regex.Pattern;

/**
 * A namespace pattern with NATS wildcard semantics: {@code *} matches exactly one token, {@code >}
 * matches one or more trailing tokens and may only be the last token. Other tokens are
 * {@code [A-Za-z0-9_-]+} and match themselves. {@code orders.*} matches {@code orders.eu} but
 * neither {@code orders} nor {@code orders.eu.x}; {@code orders.>} matches both of the latter two
 * but not {@code orders}.
 *
 * @param value the pattern text
 */
public record NamespacePattern(String value) {

    private static final Pattern LITERAL_TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    /** Validates the pattern. */
    public NamespacePattern {
        matcher(value);
    }

    /**
     * Parses a pattern.
     *
     * @param value the pattern text
     * @return the pattern
     * @throws IllegalArgumentException if it is malformed, with a message that names the rule
     */
    public static NamespacePattern of(String value) {
        return new NamespacePattern(value);
    }

    /**
     * @param namespace a namespace, as checked by {@link Namespace#requireValid(String)}
     * @return whether the pattern matches it
     */
    public boolean matches(String namespace) {
        return TokenPattern.matches(value, Namespace.requireValid(namespace));
    }

    /** @return whether the pattern has a wildcard token */
    public boolean hasWildcard() {
        return matcher(value).tokens().stream().anyMatch(t -> t.equals("*") || t.equals(">"));
    }

    private static TokenPattern matcher(String value) {
        if (value == null) {
            throw new NullPointerException("namespacePattern must not be null");
        }
        if (value.length() > Namespace.MAX_LENGTH) {
            throw new IllegalArgumentException("namespacePattern must be at most " + Namespace.MAX_LENGTH
                    + " characters, was " + value.length());
        }
        TokenPattern pattern = TokenPattern.parse(value, "namespacePattern");
        for (String token : pattern.tokens()) {
            if (!token.equals("*") && !token.equals(">") && !LITERAL_TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException("namespacePattern '" + value + "' is malformed: token '" + token
                        + "' must be '*', '>' or [A-Za-z0-9_-]+");
            }
        }
        return pattern;
    }
}
