package dev.keyline.domain.deployment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Headers a deployment adds to every upstream call ({@code extra_headers}). Names are kept lower-case; values may
 * be secret (tenant ids, signed tokens), so {@code toString} lists names only.
 */
public record ExtraHeaders(Map<String, String> values) {

    /** Headers the transport owns; letting configuration set them would corrupt the request. */
    private static final Set<String> RESERVED =
            Set.of("host", "content-length", "transfer-encoding", "connection", "content-type", "upgrade");

    public ExtraHeaders {
        Objects.requireNonNull(values, "'values' must not be null");
        Map<String, String> normalized = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            Objects.requireNonNull(name, "a header name must not be null");
            Objects.requireNonNull(value, "header '" + name + "' must have a value");
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (lower.isEmpty() || !lower.chars().allMatch(ExtraHeaders::isTokenChar)) {
                throw new IllegalArgumentException("'" + name + "' is not a valid header name");
            }
            if (RESERVED.contains(lower)) {
                throw new IllegalArgumentException(
                        "header '" + lower + "' is set by the gateway and cannot be configured");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header '" + lower + "' must not contain a line break");
            }
            if (normalized.put(lower, value) != null) {
                throw new IllegalArgumentException("header '" + lower + "' is given twice");
            }
        });
        values = Collections.unmodifiableMap(normalized);
    }

    public static ExtraHeaders none() {
        return new ExtraHeaders(Map.of());
    }

    /**
     * @param lowerCaseName a header name in lower case
     * @return whether this set configures that header
     */
    public boolean contains(String lowerCaseName) {
        return values.containsKey(lowerCaseName);
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    @Override
    public String toString() {
        return "ExtraHeaders" + values.keySet();
    }
}
