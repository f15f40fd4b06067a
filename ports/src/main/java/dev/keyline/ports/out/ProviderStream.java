package dev.keyline.ports.out;

import dev.keyline.domain.failure.ProviderFailure;
import java.util.Objects;

/** The outcome of opening a streaming provider call. */
public sealed interface ProviderStream {

    /** The upstream accepted the request; events follow. The receiver must close {@code events}. */
    record Opened(EventStream events, UpstreamHeaders headers) implements ProviderStream {
        public Opened {
            Objects.requireNonNull(events, "'events' must not be null");
            Objects.requireNonNull(headers, "'headers' must not be null");
        }
    }

    /** The upstream refused or could not be reached before any event. */
    record Failed(ProviderFailure failure) implements ProviderStream {
        public Failed {
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }
}
