package dev.aether;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Dot-separated token matching with NATS wildcard rules, shared by {@link NamespacePattern} and the
 * actor pattern of {@link SubscriptionFilter}: {@code *} matches exactly one token, {@code >}
 * matches one or more trailing tokens.
 */
final class TokenPattern {

    private static final Pattern DOT = Pattern.compile("\\.");

    private final List<String> tokens;

    private TokenPattern(List<String> tokens) {
        this.tokens = tokens;
    }

    /**
     * Splits a pattern into tokens; every token must be non-empty and {@code >} may only be last.
     *
     * @param field the name of the argument, for error messages
     */
    static TokenPattern parse(String pattern, String field) {
        List<String> tokens = split(pattern);
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.isEmpty()) {
                throw new IllegalArgumentException(field + " '" + pattern
                        + "' is malformed: tokens between dots must not be empty");
            }
            if (token.equals(">") && i != tokens.size() - 1) {
                throw new IllegalArgumentException(field + " '" + pattern
                        + "' is malformed: '>' may only be the last token");
            }
        }
        return new TokenPattern(tokens);
    }

    static List<String> split(String value) {
        return List.of(DOT.split(value, -1));
    }

    List<String> tokens() {
        return tokens;
    }

    boolean matches(String value) {
        List<String> valueTokens = split(value);
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.equals(">")) {
                return valueTokens.size() > i;
            }
            if (i >= valueTokens.size()) {
                return false;
            }
            if (!token.equals("*") && !token.equals(valueTokens.get(i))) {
                return false;
            }
        }
        return valueTokens.size() == tokens.size();
    }
}
