package dev.aether;

import java.util.regex.Pattern;

/**
 * The rule for namespace names: one or more dot-separated tokens of {@code [A-Za-z0-9_-]}, at most
 * {@value #MAX_LENGTH} characters ({@code orders}, {@code tenant-a.orders}).
 */
public final class Namespace {

    /** The longest namespace accepted. */
    public static final int MAX_LENGTH = 200;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private Namespace() {
    }

    /**
     * Checks a namespace name.
     *
     * @param namespace the name
     * @return the same name
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it breaks the rule, with a message that says which part
     */
    public static String requireValid(String namespace) {
        if (namespace == null) {
            throw new NullPointerException("namespace must not be null");
        }
        if (namespace.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("namespace must be at most " + MAX_LENGTH + " characters, was "
                    + namespace.length());
        }
        if (!VALID.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace
                    + "' is malformed: it must be dot-separated tokens of [A-Za-z0-9_-], no wildcards");
        }
        return namespace;
    }
}
