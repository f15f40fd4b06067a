package dev.keyline.adapters.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.DefaultBase;
import dev.keyline.adapters.providers.common.ProviderDescriptor;
import dev.keyline.adapters.providers.common.ProviderProtocol;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Continuation;
import dev.keyline.ports.out.ProviderClient;
import io.helidon.webclient.http1.Http1Client;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenAI's chat completions API, and the hosts that speak it under LiteLLM's provider names. A new
 * OpenAI-compatible host is one line in {@link #providers()}: its name, and its API when it has one of its own.
 */
public final class OpenAiProtocol implements ProviderProtocol {

    /** OpenAI's own model families: the only names an {@code openai/} deployment without api_base may have. */
    private static final Pattern OPENAI_OWN_MODELS = Pattern.compile("(gpt-|chatgpt-|o[1-9](-|$)|text-embedding-)");

    @Override
    public String name() {
        return "openai-chat";
    }

    /**
     * A chat completions server given a final assistant message answers anew unless it supports continuing it
     * (vLLM's {@code continue_final_message}); a deployment says so with that setting.
     */
    @Override
    public Continuation continuation() {
        return Continuation.NONE;
    }

    @Override
    public List<ProviderDescriptor> providers() {
        AuthScheme bearer = AuthScheme.BEARER;
        return List.of(
                new ProviderDescriptor(
                        "openai",
                        this,
                        new DefaultBase.OwnModels("https://api.openai.com/v1", OPENAI_OWN_MODELS, "OpenAI"),
                        bearer,
                        Optional.empty()),
                new ProviderDescriptor("hosted_vllm", this, new DefaultBase.None(), bearer, Optional.empty()),
                new ProviderDescriptor(
                        "ollama_chat",
                        this,
                        new DefaultBase.AnyModel("http://localhost:11434/v1"),
                        bearer,
                        Optional.of("/v1")),
                ProviderDescriptor.oneHost("deepseek", this, "https://api.deepseek.com", bearer),
                ProviderDescriptor.oneHost("groq", this, "https://api.groq.com/openai/v1", bearer),
                ProviderDescriptor.oneHost("openrouter", this, "https://openrouter.ai/api/v1", bearer),
                ProviderDescriptor.oneHost("xai", this, "https://api.x.ai/v1", bearer),
                ProviderDescriptor.oneHost("together_ai", this, "https://api.together.xyz/v1", bearer),
                ProviderDescriptor.oneHost("fireworks_ai", this, "https://api.fireworks.ai/inference/v1", bearer));
    }

    @Override
    public Map<String, AuthScheme> authSchemes() {
        return Map.of("bearer", AuthScheme.BEARER, "x-api-key", AuthScheme.X_API_KEY);
    }

    @Override
    public List<String> appendedPaths() {
        return List.of("/chat/completions");
    }

    @Override
    public boolean countsTokens() {
        return false;
    }

    @Override
    public ProviderClient client(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        return new OpenAiProviderClient(http, mapper, clock);
    }
}
