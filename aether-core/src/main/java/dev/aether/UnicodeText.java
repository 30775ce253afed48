package dev.aether;

/**
 * The rule every string Aether stores keeps: well-formed UTF-16, so that it encodes to UTF-8 and back
 * unchanged. A lone surrogate half would be replaced by {@code ?} in UTF-8 (two ids would then share a
 * subject) or written as JSON that no reader accepts.
 */
final class UnicodeText {

    private UnicodeText() {
    }

    /**
     * @param value a string
     * @param field the name to put in the message
     * @return the same string
     * @throws IllegalArgumentException if it holds a surrogate half that is not part of a pair
     */
    static String requireWellFormed(String value, String field) {
        if (isWellFormed(value)) {
            return value;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " must be well-formed Unicode: unpaired surrogate U+"
                        + Integer.toHexString(c).toUpperCase() + " at index " + i);
            }
        }
        return value;
    }

    /**
     * @param value a string
     * @return whether every surrogate half in it is part of a pair
     */
    static boolean isWellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }
}
