package dev.keyline.adapters.providers.vertex;

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
 * Claude on Google Vertex AI, LiteLLM's {@code vertex_ai/} provider: Anthropic's Messages API behind rawPredict,
 * authorised by tokens minted from the deployment's own service account, never application-default credentials.
 */
public final class VertexProtocol implements ProviderProtocol {

    @Override
    public String name() {
        return "vertex-rawpredict";
    }

    @Override
    public List<ProviderDescriptor> providers() {
        return List.of(new ProviderDescriptor(
                "vertex_ai",
                this,
                new DefaultBase.Cloud("https://{location}-aiplatform.googleapis.com"),
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
                "/v1/projects/{project}/locations/{location}/publishers/anthropic/models/{model}:rawPredict",
                "…/{model}:streamRawPredict",
                "…/count-tokens:rawPredict");
    }

    @Override
    public boolean countsTokens() {
        return true;
    }

    @Override
    public AccountKind account() {
        return AccountKind.GOOGLE_SERVICE_ACCOUNT;
    }

    @Override
    public ProviderClient client(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        return new AnthropicProviderClient(http, mapper, clock, new VertexHost(mapper));
    }
}
