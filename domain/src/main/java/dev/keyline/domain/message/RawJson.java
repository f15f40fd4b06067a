package dev.keyline.domain.message;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON object the gateway carries without interpreting, as plain Java values: {@code String}, {@code Boolean},
 * {@code Number}, {@code null}, {@code List} and {@code Map<String, ?>}. Deeply immutable, order preserving.
 */
public record RawJson(Map<String, Object> fields) {

    private static final RawJson EMPTY = new RawJson(Map.of());

    public RawJson {
        Objects.requireNonNull(fields, "'fields' must not be null");
        fields = copyObject(fields);
    }

    public static RawJson empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * @param name a member name
     * @return the member's value when present and not null
     */
    public Optional<Object> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /**
     * @param name a member name
     * @param value any JSON value
     * @return a copy with the member set (appended when new)
     */
    public RawJson with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(name, value);
        return new RawJson(copy);
    }

    /**
     * @param name a member name
     * @return a copy without the member
     */
    public RawJson without(String name) {
        if (!fields.containsKey(name)) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.remove(name);
        return new RawJson(copy);
    }

    private static Map<String, Object> copyObject(Map<?, ?> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> {
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException("JSON member names must be strings, got " + key);
            }
            copy.put(name, copyValue(value));
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case BigInteger i -> i;
            case BigDecimal d -> d;
            case Double d -> d;
            case Float f -> f;
            case Short s -> s;
            case Map<?, ?> m -> copyObject(m);
            case List<?> l -> {
                List<Object> items = new ArrayList<>(l.size());
                l.forEach(item -> items.add(copyValue(item)));
                yield Collections.unmodifiableList(items);
            }
            default ->
                throw new IllegalArgumentException(
                        "not a JSON value: " + value.getClass().getName());
        };
    }
}
