package dev.keyline.adapters.providers.openai;

import dev.keyline.domain.deployment.Endpoint;
import java.net.URI;

/**
 * Where the chat completions protocol's calls go under a deployment's {@code api_base}. LiteLLM's convention: the
 * base includes the version ({@code http://vllm:8000/v1}), and {@code /chat/completions} is appended unless the
 * base already ends so.
 */
public final class OpenAiPaths {

    private static final String CHAT = "/chat/completions";

    private OpenAiPaths() {}

    /** @return the base, plus {@code /chat/completions} unless it already ends so */
    public static URI chatCompletions(Endpoint endpoint) {
        String base = endpoint.base().toString();
        return URI.create(base.endsWith(CHAT) ? base : base + CHAT);
    }
}
