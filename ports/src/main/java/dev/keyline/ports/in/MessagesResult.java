package dev.keyline.ports.in;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.ports.out.UpstreamAnswer;
import dev.keyline.ports.out.UpstreamHeaders;
import java.util.Objects;

/** The outcome of a non-streaming Messages request. */
public sealed interface MessagesResult {

    /** An answer, and which deployment gave it. */
    record Answered(UpstreamAnswer answer, DeploymentId servedBy, int attempts, UpstreamHeaders headers)
            implements MessagesResult {
        public Answered {
            Objects.requireNonNull(answer, "'answer' must not be null");
            Objects.requireNonNull(servedBy, "'servedBy' must not be null");
            if (attempts < 1) {
                throw new IllegalArgumentException("an answer takes at least one attempt");
            }
            Objects.requireNonNull(headers, "'headers' must not be null");
        }

        /** An answer built in the domain: a search loop's, a test's. */
        public Answered(MessageResponse response, DeploymentId servedBy, int attempts, UpstreamHeaders headers) {
            this(new UpstreamAnswer.Decoded(response), servedBy, attempts, headers);
        }

        /** @return the message, decoded if it came verbatim */
        public MessageResponse response() {
            return answer.message();
        }
    }

    /** No answer; the error says why. */
    record Refused(GatewayError error) implements MessagesResult {
        public Refused {
            Objects.requireNonNull(error, "'error' must not be null");
        }
    }
}
