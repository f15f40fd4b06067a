package dev.keyline.ports.in;

import dev.keyline.domain.deployment.DeploymentId;
import java.util.Objects;

/** The outcome of a token count. */
public sealed interface TokensResult {

    /**
     * @param inputTokens the count
     * @param servedBy    the deployment the request was routed to
     * @param estimated   whether the gateway estimated it, the deployment having no count of its own
     */
    record Counted(long inputTokens, DeploymentId servedBy, boolean estimated) implements TokensResult {
        public Counted {
            if (inputTokens < 0) {
                throw new IllegalArgumentException("input_tokens must not be negative");
            }
            Objects.requireNonNull(servedBy, "'servedBy' must not be null");
        }
    }

    /** No count; the error says why. */
    record Refused(GatewayError error) implements TokensResult {
        public Refused {
            Objects.requireNonNull(error, "'error' must not be null");
        }
    }
}
