package dev.aether;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static Map<String, Object> copyMap(Map<?, ?> map, String path) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw entry.getKey() == null
                        ? new NullPointerException(path + " must not contain a null key")
                        : new IllegalArgumentException(path + " keys must be Strings, found "
                                + entry.getKey().getClass().getName());
            }
            copy.put(UnicodeText.requireWellFormed(key, path + " key"), copyValue(entry.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(copy);
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
            return big.bitLength() < 32 ? (Object) big.intValue() : big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(path + " must be a finite number (JSON has no NaN or Infinity)");
            }
            return d;
        }
        if (value instanceof BigDecimal) {
            throw new IllegalArgumentException(path
                    + " is a BigDecimal, which JSON gives back as a double: store exact decimals as a String or as integer minor units");
        }
        if (value instanceof Map<?, ?> nested) {
            return copyMap(nested, path);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copyValue(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(path + " has type " + value.getClass().getName()
                + ", which is not JSON-compatible (null, Boolean, Number, String, List or Map with String keys)");
    }
}
