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

    private static List<String> split(String value) {
        return List.of(DOT.split(value, -1));
    }

    List<String> tokens() {
        return tokens;
    }

    /**
     * Matches a pattern already checked by {@link #parse(String, String)} against a value, token by
     * token, without splitting either string: it runs for every event a subscription considers.
     */
    static boolean matches(String pattern, String value) {
        int p = 0;
        int v = 0; // start of the value's next token, or -1 once every token is consumed
        while (true) {
            int patternEnd = tokenEnd(pattern, p);
            int length = patternEnd - p;
            if (length == 1 && pattern.charAt(p) == '>') {
                return v >= 0;
            }
            if (v < 0) {
                return false;
            }
            int valueEnd = tokenEnd(value, v);
            boolean wildcard = length == 1 && pattern.charAt(p) == '*';
            if (!wildcard && (valueEnd - v != length || !pattern.regionMatches(p, value, v, length))) {
                return false;
            }
            v = valueEnd == value.length() ? -1 : valueEnd + 1;
            if (patternEnd == pattern.length()) {
                return v < 0;
            }
            p = patternEnd + 1;
        }
    }

    private static int tokenEnd(String text, int from) {
        int dot = text.indexOf('.', from);
        return dot < 0 ? text.length() : dot;
    }
}
