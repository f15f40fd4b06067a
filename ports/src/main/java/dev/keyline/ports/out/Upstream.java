package dev.keyline.ports.out;

import dev.keyline.domain.deployment.Deployment;

/**
 * One configured deployment, ready to be called. An upstream can only call the deployment it was made for: its
 * endpoint, key, auth scheme, headers and provider model come with it, so the application holds a handle, never a
 * loose address or key, and a follow-up made through the same handle cannot land anywhere else.
 *
 * <p>The application gets upstreams from {@link Upstreams}; only the composition root's provider dispatcher makes
 * them, by pairing a deployment with the {@link ProviderClient} adapter for its provider.
 */
public interface Upstream {

    /** @return the deployment every call goes to; for reading (ids, limits, logs) */
    Deployment deployment();

    /**
     * Sends a Messages request to this deployment and waits for the whole answer.
     *
     * @param request the request, addressed by the client's model name; the provider model name replaces it
     * @return the answer or the classified failure; never throws for upstream trouble
     */
    ProviderReply send(ProviderRequest request);

    /**
     * Sends a Messages request to this deployment asking for a stream; returns once the first event arrived.
     *
     * @param request the request; it is sent with {@code stream} true
     * @return an open event stream the caller must close, or the classified failure
     */
    ProviderStream stream(ProviderRequest request);

    /**
     * Counts a Messages request's input tokens at this deployment.
     *
     * @param request the request to count
     * @return the deployment's count, unsupported (the gateway estimates), or the classified failure
     */
    TokenCount countTokens(ProviderRequest request);
}
