package dev.keyline.adapters.providers.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.anthropic.AnthropicProviderClient;
import dev.keyline.adapters.providers.common.AccountKind;
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

/**
 * Claude on Amazon Bedrock, LiteLLM's {@code bedrock/} provider: Anthropic's Messages API behind InvokeModel,
 * authenticated with the deployment's own AWS keys (SigV4) or a Bedrock API key, never the host's AWS identity.
 */
public final class BedrockProtocol implements ProviderProtocol {

    @Override
    public String name() {
        return "bedrock-invoke";
    }

    @Override
    public List<ProviderDescriptor> providers() {
        return List.of(new ProviderDescriptor(
                "bedrock",
                this,
                new DefaultBase.Cloud("https://bedrock-runtime.{region}.amazonaws.com"),
                AuthScheme.BEARER,
                Optional.empty()));
    }

    @Override
    public Map<String, AuthScheme> authSchemes() {
        return Map.of("bearer", AuthScheme.BEARER);
    }

    @Override
    public List<String> appendedPaths() {
        return List.of(
                "/model/{model}/invoke", "/model/{model}/invoke-with-response-stream", "/model/{model}/count-tokens");
    }

    @Override
    public boolean countsTokens() {
        return true;
    }

    @Override
    public AccountKind account() {
        return AccountKind.AWS;
    }

    @Override
    public ProviderClient client(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        return new AnthropicProviderClient(http, mapper, clock, new BedrockHost(http, mapper, clock));
    }
}
