package dev.keyline.ports.out;

import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import java.time.Instant;
import java.util.Objects;

/**
 * What a provider call sends besides the deployment's own settings: the body and the client's protocol headers,
 * and when the answer must have started.
 *
 * @param body     the Messages request
 * @param headers  {@code anthropic-version} and {@code anthropic-beta} from the client
 * @param answerBy the request's deadline: a JSON answer must be whole and a stream's first event must have arrived
 *                 by then, whatever the deployment's own timeouts allow; {@link Instant#MAX} when there is none
 * @param observer hears how the call went, for the client request's journal; providers pass it on untouched
 */
public record ProviderRequest(MessagesRequest body, ProtocolHeaders headers, Instant answerBy, HopObserver observer) {
    public ProviderRequest {
        Objects.requireNonNull(body, "'body' must not be null");
        Objects.requireNonNull(headers, "'headers' must not be null");
        Objects.requireNonNull(answerBy, "'answerBy' must not be null");
        Objects.requireNonNull(observer, "'observer' must not be null");
    }

    /** A request with no deadline of its own (the deployment's timeouts bound it) and no one listening. */
    public ProviderRequest(MessagesRequest body, ProtocolHeaders headers) {
        this(body, headers, Instant.MAX, HopObserver.none());
    }

    /**
     * @param deadline when the answer must have started
     * @return this request with that deadline, or the earlier one it already has
     */
    public ProviderRequest answeringBy(Instant deadline) {
        return deadline.isBefore(answerBy) ? new ProviderRequest(body, headers, deadline, observer) : this;
    }

    /** @return this request, heard by {@code hop} */
    public ProviderRequest observedBy(HopObserver hop) {
        return new ProviderRequest(body, headers, answerBy, hop);
    }
}
