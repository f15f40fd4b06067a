package dev.keyline.ports.out;

import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import java.util.Objects;

/**
 * What a provider call sends besides the deployment's own settings: the body and the client's protocol headers.
 *
 * @param body    the Messages request
 * @param headers {@code anthropic-version} and {@code anthropic-beta} from the client
 */
public record ProviderRequest(MessagesRequest body, ProtocolHeaders headers) {
    public ProviderRequest {
        Objects.requireNonNull(body, "'body' must not be null");
        Objects.requireNonNull(headers, "'headers' must not be null");
    }
}
