package dev.keyline.ports.out;

import dev.keyline.domain.deployment.Deployment;

/**
 * What a provider adapter implements: one wire protocol (Anthropic Messages, OpenAI chat completions, …) spoken to
 * any deployment of that provider. Every call takes a whole {@link Deployment}: its endpoint, key, auth scheme,
 * headers and provider model name all come from that one value. Implementations never follow a redirect to another
 * origin and never read keys or addresses from anywhere else.
 *
 * <p>The application never calls an adapter directly (an architecture rule checks it): it calls an
 * {@link Upstream}, which binds one deployment to the adapter for its provider. Every adapter passes the
 * provider-adapter contract test ({@code ProviderClientContract}); {@code docs/extending.md} says how to add one.
 */
public interface ProviderClient {

    /**
     * Sends a Messages request and waits for the whole answer.
     *
     * @param deployment where to send it, with what; must not be null
     * @param request    the request, addressed by the client's model name; the call uses the provider model name
     * @return the answer or the classified failure; never throws for upstream trouble
     */
    ProviderReply send(Deployment deployment, ProviderRequest request);

    /**
     * Sends a Messages request asking for a stream and returns once the upstream has answered with a status.
     *
     * @param deployment where to send it, with what; must not be null
     * @param request    the request; its {@code stream} flag is sent as true
     * @return an open event stream the caller must close, or the classified failure
     */
    ProviderStream stream(Deployment deployment, ProviderRequest request);

    /**
     * Counts a Messages request's input tokens at the deployment ({@code POST …/count_tokens} for Anthropic's
     * protocol): its base, its key, never another host. Protocols without a count answer {@link
     * TokenCount.Unsupported}, and the gateway estimates.
     *
     * @param deployment where to ask, with what
     * @param request    the request to count; its {@code max_tokens} and {@code stream} are not sent
     * @return the count, unsupported, or the classified failure; never throws for upstream trouble
     */
    default TokenCount countTokens(Deployment deployment, ProviderRequest request) {
        return new TokenCount.Unsupported();
    }
}
