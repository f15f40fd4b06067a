package dev.keyline.adapters.providers.anthropic;

import dev.keyline.domain.deployment.Endpoint;
import java.net.URI;

/**
 * Where the Anthropic protocol's calls go under a deployment's {@code api_base}. The path is appended the way
 * LiteLLM does, so users' existing {@code api_base} values keep working: a base that already ends with the
 * Messages path is taken as it is.
 */
public final class AnthropicPaths {

    private static final String MESSAGES = "/v1/messages";

    private AnthropicPaths() {}

    /** @return the base, plus {@code /v1/messages} unless it already ends so */
    public static URI messages(Endpoint endpoint) {
        String base = endpoint.base().toString();
        return URI.create(base.endsWith(MESSAGES) ? base : base + MESSAGES);
    }

    /** @return where token-count requests go, beside the Messages path */
    public static URI countTokens(Endpoint endpoint) {
        return URI.create(messages(endpoint) + "/count_tokens");
    }
}
