package dev.keyline.ports.out;

import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.MessageResponse;
import java.util.Objects;

/** The outcome of a non-streaming provider call. */
public sealed interface ProviderReply {

    /** The upstream answered with a message. */
    record Completed(MessageResponse response, UpstreamHeaders headers) implements ProviderReply {
        public Completed {
            Objects.requireNonNull(response, "'response' must not be null");
            Objects.requireNonNull(headers, "'headers' must not be null");
        }
    }

    /** The call failed; the failure says why. */
    record Failed(ProviderFailure failure) implements ProviderReply {
        public Failed {
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }
}
