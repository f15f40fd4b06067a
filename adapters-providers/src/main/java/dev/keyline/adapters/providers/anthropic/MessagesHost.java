package dev.keyline.adapters.providers.anthropic;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderRequest;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of host that serves Anthropic's Messages API under its own address, body and authentication: Anthropic's
 * own door ({@link AnthropicHost}), Amazon Bedrock's InvokeModel, Google Vertex AI's rawPredict. The answers are
 * Anthropic's everywhere, so {@link AnthropicProviderClient} does the rest once for all of them.
 */
public interface MessagesHost {

    /** @return where a Messages call for this deployment goes */
    URI messages(Deployment deployment, boolean stream);

    /** @return the body the host takes, for the request as the client sent it */
    byte[] body(Deployment deployment, ProviderRequest request, boolean stream);

    /**
     * Sets the protocol's own headers, before the deployment's key and extra headers (so a deployment's extra header
     * wins over a client's header of the same name). Hosts that take everything in the body set none.
     */
    default void protocolHeaders(Http1ClientRequest call, ProviderRequest request) {}

    /**
     * Adds what authenticates this call, once its address and body are known (a signature, a minted token). The
     * deployment's key header, where it has one, is already set.
     *
     * @throws CredentialFailure when this deployment's credentials cannot be had (a role not assumed, a token not
     *                           minted); the call is not made
     */
    void authenticate(Http1ClientRequest call, Deployment deployment, ProviderRequest request, URI uri, byte[] body)
            throws CredentialFailure;

    /** @return the content type a stream answer has ({@code text/event-stream} for SSE) */
    String streamContentType();

    /** @return the stream of a 2xx answer to a stream request, read event by event */
    EventStream events(Http1ClientResponse response, Deployment deployment, Duration idleTimeout);

    /** @return the host's token-count call for this request, or empty when the gateway must estimate */
    Optional<CountCall> countTokens(Deployment deployment, ProviderRequest request);

    /**
     * @param body the host's error answer
     * @return it in the Anthropic error shape, with any credential of the deployment's that this host minted (an
     *         access token) masked; the deployment's own secrets are masked after this
     */
    String anthropicError(Deployment deployment, int status, String body, Optional<String> errorType);

    /**
     * A token-count call: where it goes, what it sends, and where the answer holds the count.
     *
     * @param countField  the answer's member holding the input tokens ({@code input_tokens}, {@code inputTokens})
     * @param unsupported the statuses that mean "this host or model does not count" (the gateway then estimates):
     *                    404 everywhere; Bedrock also answers 400 for a model without CountTokens
     */
    record CountCall(URI uri, byte[] body, String countField, Set<Integer> unsupported) {
        public CountCall(URI uri, byte[] body, String countField) {
            this(uri, body, countField, Set.of(404));
        }
    }
}
