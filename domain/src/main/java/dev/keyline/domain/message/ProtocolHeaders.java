package dev.keyline.domain.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The protocol headers a client sent that every hop must carry upstream: {@code anthropic-version} and the
 * {@code anthropic-beta} flags. The client's own auth headers are never part of this.
 */
public record ProtocolHeaders(Optional<String> anthropicVersion, List<String> anthropicBeta) {

    /** The version sent upstream when a client gave none. */
    public static final String DEFAULT_VERSION = "2023-06-01";

    public ProtocolHeaders {
        Objects.requireNonNull(anthropicVersion, "'anthropicVersion' must not be null");
        anthropicBeta = List.copyOf(Objects.requireNonNull(anthropicBeta, "'anthropicBeta' must not be null"));
        anthropicVersion.ifPresent(ProtocolHeaders::requireOneLine);
        anthropicBeta.forEach(ProtocolHeaders::requireOneLine);
    }

    public static ProtocolHeaders defaults() {
        return new ProtocolHeaders(Optional.empty(), List.of());
    }

    /** @return the version to send upstream */
    public String versionOrDefault() {
        return anthropicVersion.orElse(DEFAULT_VERSION);
    }

    private static void requireOneLine(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a header value must be one line");
        }
    }
}
