package dev.keyline.adapters.providers.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.DefaultBase;
import dev.keyline.adapters.providers.common.ProviderDescriptor;
import dev.keyline.adapters.providers.common.ProviderProtocol;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.ports.out.ProviderClient;
import io.helidon.webclient.http1.Http1Client;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Anthropic's Messages API, spoken by Anthropic and by the many hosts that offer an Anthropic-compatible door. */
public final class AnthropicProtocol implements ProviderProtocol {

    @Override
    public String name() {
        return "anthropic-messages";
    }

    @Override
    public List<ProviderDescriptor> providers() {
        return List.of(new ProviderDescriptor(
                "anthropic",
                this,
                new DefaultBase.OwnModels("https://api.anthropic.com", Pattern.compile("claude"), "Anthropic"),
                AuthScheme.X_API_KEY,
                Optional.empty()));
    }

    @Override
    public Map<String, AuthScheme> authSchemes() {
        return Map.of("x-api-key", AuthScheme.X_API_KEY, "bearer", AuthScheme.BEARER);
    }

    @Override
    public List<String> appendedPaths() {
        return List.of("/v1/messages", "/v1/messages/count_tokens");
    }

    @Override
    public boolean countsTokens() {
        return true;
    }

    @Override
    public ProviderClient client(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        return new AnthropicProviderClient(http, mapper, clock);
    }
}
