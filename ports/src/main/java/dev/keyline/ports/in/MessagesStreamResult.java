package dev.keyline.ports.in;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.UpstreamHeaders;
import java.util.Objects;

/** The outcome of opening a streamed Messages request. */
public sealed interface MessagesStreamResult {

    /** Events are on their way from {@code servedBy}; the receiver must close {@code events}. */
    record Streaming(EventStream events, DeploymentId servedBy, int attempts, UpstreamHeaders headers)
            implements MessagesStreamResult {
        public Streaming {
            Objects.requireNonNull(events, "'events' must not be null");
            Objects.requireNonNull(servedBy, "'servedBy' must not be null");
            if (attempts < 1) {
                throw new IllegalArgumentException("an answer takes at least one attempt");
            }
            Objects.requireNonNull(headers, "'headers' must not be null");
        }
    }

    /** No stream was opened; the error says why. */
    record Refused(GatewayError error) implements MessagesStreamResult {
        public Refused {
            Objects.requireNonNull(error, "'error' must not be null");
        }
    }
}
