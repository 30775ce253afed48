package dev.aether;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Deep, unmodifiable copies of JSON-compatible values, so that {@link Event#data()} and
 * {@link ActorSnapshot#state()} read back the same from every store.
 *
 * <p>Allowed: {@code null}, {@link Boolean}, {@link String} (well-formed Unicode, as for every string Aether
 * stores), integral numbers (kept as the smallest of
 * {@link Integer}, {@link Long}, {@link BigInteger} that holds them), finite {@link Float} and
 * {@link Double} (kept as {@link Double}), {@link List}, and {@link Map} with non-null String keys.
 * {@link BigDecimal} is refused because a JSON reader gives it back as a double: store exact
 * decimals as a String or as integer minor units.
 *
 * <p>The copies are maps and lists of this class's own, which are immutable and hold only checked
 * values, so copying one again returns it as it is: an event's data is copied once, whether it is
 * built, copied with a new version, or {@link #read(JsonParser, String) read} straight from JSON.
 */
final class JsonData {

    private JsonData() {
    }

    static Map<String, Object> copyOf(Map<String, ?> map, String field) {
        if (map == null) {
            throw new NullPointerException(field + " must not be null (use an empty map)");
        }
        return copyMap(map, field);
    }

    /**
     * Reads the JSON object or {@code null} the parser is at, with the rules and messages of
     * {@link #copyOf(Map, String)}, straight into the immutable maps and lists a copy would make.
     *
     * @param parser a parser whose current token starts the value
     * @param field  the name of the field, as errors name it ({@code data})
     * @return the object, or an empty map for {@code null}
     * @throws IllegalArgumentException if the value is not a JSON object or holds a value a copy refuses
     * @throws IOException              if the JSON is malformed
     */
    static Map<String, Object> read(JsonParser parser, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return Frozen.EMPTY;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException(field + " must be a JSON object, found " + describe(token));
        }
        return readObject(parser, field);
    }

    private static Map<String, Object> readObject(JsonParser parser, String path) throws IOException {
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        String key;
        while ((key = parser.nextFieldName()) != null) {
            if (!UnicodeText.isWellFormed(key)) {
                UnicodeText.requireWellFormed(key, path + " key");
            }
            parser.nextToken();
            map.put(key, readValue(parser, path, key, 0));
        }
        return map.isEmpty() ? Frozen.EMPTY : new Frozen(map);
    }

    /**
     * Reads the value the parser is at: the member {@code key} of the object at {@code parent}, or its
     * element {@code index} when {@code key} is null. The path is only made when needed, for an error
     * or a nested container.
     */
    private static Object readValue(JsonParser parser, String parent, String key, int index) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case VALUE_STRING:
                String text = parser.getText();
                return UnicodeText.isWellFormed(text) ? text
                        : UnicodeText.requireWellFormed(text, path(parent, key, index));
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> parser.getIntValue();
                    case LONG -> parser.getLongValue();
                    default -> integral(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                double d = parser.getDoubleValue();
                return Double.isFinite(d) ? (Double) d : finite(d, path(parent, key, index));
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
                return readObject(parser, path(parent, key, index));
            case START_ARRAY:
                String path = path(parent, key, index);
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, path, null, list.size()));
                }
                return new FrozenList(list.toArray());
            default:
                throw new IllegalArgumentException(path(parent, key, index) + " is not a JSON value: " + describe(token));
        }
    }

    private static String path(String parent, String key, int index) {
        return key != null ? parent + "." + key : parent + "[" + index + "]";
    }

    private static String describe(JsonToken token) {
        return token == null ? "the end of the input" : token.asString() != null ? "'" + token.asString() + "'"
                : token.name();
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String path) {
        if (map instanceof Frozen frozen) {
            return frozen;
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw entry.getKey() == null
                        ? new NullPointerException(path + " must not contain a null key")
                        : new IllegalArgumentException(path + " keys must be Strings, found "
                                + entry.getKey().getClass().getName());
            }
            copy.put(UnicodeText.requireWellFormed(key, path + " key"), copyValue(entry.getValue(), path + "." + key));
        }
        return copy.isEmpty() ? Frozen.EMPTY : new Frozen(copy);
    }

    private static Object copyValue(Object value, String path) {
        if (value instanceof String string) {
            return UnicodeText.requireWellFormed(string, path);
        }
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long l = ((Number) value).longValue();
            return (l == (int) l) ? (Object) (int) l : (Object) l;
        }
        if (value instanceof BigInteger big) {
            return integral(big);
        }
        if (value instanceof Double || value instanceof Float) {
            return finite(((Number) value).doubleValue(), path);
        }
        if (value instanceof BigDecimal) {
            throw new IllegalArgumentException(path
                    + " is a BigDecimal, which JSON gives back as a double: store exact decimals as a String or as integer minor units");
        }
        if (value instanceof Map<?, ?> nested) {
            return copyMap(nested, path);
        }
        if (value instanceof FrozenList frozen) {
            return frozen;
        }
        if (value instanceof List<?> list) {
            Object[] copy = new Object[list.size()];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = copyValue(list.get(i), path + "[" + i + "]");
            }
            return new FrozenList(copy);
        }
        throw new IllegalArgumentException(path + " has type " + value.getClass().getName()
                + ", which is not JSON-compatible (null, Boolean, Number, String, List or Map with String keys)");
    }

    private static Object integral(BigInteger big) {
        return big.bitLength() < 32 ? (Object) big.intValue() : big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private static Double finite(double d, String path) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(path + " must be a finite number (JSON has no NaN or Infinity)");
        }
        return d;
    }

    /** An immutable JSON object whose values are checked; made only by this class. */
    private static final class Frozen extends AbstractMap<String, Object> {

        static final Frozen EMPTY = new Frozen(new LinkedHashMap<>());

        private final Map<String, Object> map;

        Frozen(LinkedHashMap<String, Object> map) {
            this.map = Collections.unmodifiableMap(map);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return map.entrySet();
        }

        @Override
        public Set<String> keySet() {
            return map.keySet();
        }

        @Override
        public Collection<Object> values() {
            return map.values();
        }

        @Override
        public Object get(Object key) {
            return map.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean equals(Object other) {
            return other == this || map.equals(other);
        }

        @Override
        public int hashCode() {
            return map.hashCode();
        }
    }

    /** An immutable JSON array whose elements are checked; made only by this class. */
    private static final class FrozenList extends AbstractList<Object> implements RandomAccess {

        private final Object[] elements;

        FrozenList(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public Object get(int index) {
            return elements[index];
        }

        @Override
        public int size() {
            return elements.length;
        }
    }
}
