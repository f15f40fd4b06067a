package dev.keyline.ports.out;

import java.util.Map;
import java.util.Objects;

/**
 * Response headers worth passing back to the client ({@code request-id}, rate-limit figures), lower-case names.
 * The provider adapter chooses them; nothing here can carry a credential.
 */
public record UpstreamHeaders(Map<String, String> values) {
    public UpstreamHeaders {
        values = Map.copyOf(Objects.requireNonNull(values, "'values' must not be null"));
    }

    public static UpstreamHeaders none() {
        return new UpstreamHeaders(Map.of());
    }
}
