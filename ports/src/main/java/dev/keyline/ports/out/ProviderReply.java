package dev.keyline.ports.out;

import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.MessageResponse;
import java.util.Objects;

/** The outcome of a non-streaming provider call. */
public sealed interface ProviderReply {

    /** The upstream answered with a message. */
    record Completed(UpstreamAnswer answer, UpstreamHeaders headers) implements ProviderReply {
        public Completed {
            Objects.requireNonNull(answer, "'answer' must not be null");
            Objects.requireNonNull(headers, "'headers' must not be null");
        }

        /** An answer built in the domain (a translating adapter's, a test's). */
        public Completed(MessageResponse response, UpstreamHeaders headers) {
            this(new UpstreamAnswer.Decoded(response), headers);
        }

        /** @return the message, decoded if it came verbatim */
        public MessageResponse response() {
            return answer.message();
        }
    }

    /** The call failed; the failure says why. */
    record Failed(ProviderFailure failure) implements ProviderReply {
        public Failed {
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }
}
