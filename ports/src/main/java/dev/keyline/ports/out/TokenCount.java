package dev.keyline.ports.out;

import dev.keyline.domain.failure.ProviderFailure;
import java.util.Objects;

/** What a deployment said when asked to count a request's input tokens. */
public sealed interface TokenCount {

    /** @param inputTokens the deployment's own count */
    record Counted(long inputTokens) implements TokenCount {
        public Counted {
            if (inputTokens < 0) {
                throw new IllegalArgumentException("input_tokens must not be negative, was " + inputTokens);
            }
        }
    }

    /** The deployment's protocol has no count, or its server does not serve one (a 404 there). */
    record Unsupported() implements TokenCount {}

    /** The count failed as a call does. */
    record Failed(ProviderFailure failure) implements TokenCount {
        public Failed {
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }
}
