package dev.keyline.adapters.providers.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.anthropic.AnthropicHost;
import dev.keyline.adapters.providers.anthropic.BodyRewrite;
import dev.keyline.adapters.providers.anthropic.CredentialFailure;
import dev.keyline.adapters.providers.anthropic.MessagesHost;
import dev.keyline.adapters.providers.common.SseEventStream;
import dev.keyline.adapters.providers.common.StreamEventShape;
import dev.keyline.adapters.providers.common.UpstreamExchange;
import dev.keyline.adapters.wire.AnthropicErrorBody;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Claude on Google Vertex AI: {@code {endpoint}/{model}:rawPredict} and {@code :streamRawPredict}, where the
 * deployment's endpoint already names its project and location ({@code …/v1/projects/P/locations/L/publishers/
 * anthropic/models}); the Messages body without {@code model} and with Vertex's {@code anthropic_version}; an access
 * token minted from the deployment's own service account; answers and SSE events as Anthropic's.
 */
final class VertexHost implements MessagesHost {

    static final String ANTHROPIC_VERSION = "vertex-2023-10-16";

    private final ObjectMapper mapper;
    private final MessagesRequestCodec requests;
    private final StreamEventShape shape;
    private final ServiceAccountTokens tokens = new ServiceAccountTokens();

    VertexHost(ObjectMapper mapper) {
        this.mapper = mapper;
        this.requests = new MessagesRequestCodec(mapper);
        this.shape = new StreamEventShape(mapper.getFactory());
    }

    @Override
    public URI messages(Deployment deployment, boolean stream) {
        return URI.create(deployment.endpoint().base() + "/" + deployment.providerModel()
                + (stream ? ":streamRawPredict" : ":rawPredict"));
    }

    @Override
    public byte[] body(Deployment deployment, ProviderRequest request, boolean stream) {
        return rawPredictBody(deployment, request, stream, Set.of("model", "anthropic_version"));
    }

    /** The Messages body with Vertex's {@code anthropic_version}, less the members Vertex takes elsewhere. */
    private byte[] rawPredictBody(Deployment deployment, ProviderRequest request, boolean stream, Set<String> without) {
        byte[] body = requests.write(AnthropicHost.withModelAndStream(deployment, request, stream));
        return BodyRewrite.of(
                mapper.getFactory(),
                body,
                without,
                out -> out.writeStringField("anthropic_version", ANTHROPIC_VERSION));
    }

    @Override
    public void protocolHeaders(Http1ClientRequest call, ProviderRequest request) {
        if (!request.headers().anthropicBeta().isEmpty()) {
            call.header(
                    HeaderNames.create("anthropic-beta"),
                    String.join(",", request.headers().anthropicBeta()));
        }
    }

    @Override
    public void authenticate(
            Http1ClientRequest call, Deployment deployment, ProviderRequest request, URI uri, byte[] body)
            throws CredentialFailure {
        switch (deployment.authScheme()) {
            case AuthScheme.MintedToken minted ->
                call.header(HeaderNames.AUTHORIZATION, "Bearer " + tokens.token(deployment, minted));
            case AuthScheme.KeyHeader header -> {
                // A key given as api_key (a proxy in front of Vertex): UpstreamExchange has set it.
            }
            case AuthScheme.AwsSignature aws ->
                throw new CredentialFailure(
                        "deployment " + deployment.id() + ": Vertex takes a service account, not AWS keys");
        }
    }

    @Override
    public String streamContentType() {
        return UpstreamExchange.EVENT_STREAM;
    }

    @Override
    public EventStream events(Http1ClientResponse response, Deployment deployment, Duration idleTimeout) {
        return new SseEventStream(response.inputStream(), response, deployment, shape, idleTimeout);
    }

    /** Vertex counts at a model path of its own, {@code count-tokens:rawPredict}, with the model in the body. */
    @Override
    public Optional<CountCall> countTokens(Deployment deployment, ProviderRequest request) {
        return Optional.of(new CountCall(
                URI.create(deployment.endpoint().base() + "/count-tokens:rawPredict"),
                rawPredictBody(deployment, request, false, Set.of("max_tokens", "stream", "anthropic_version")),
                "input_tokens"));
    }

    /**
     * Vertex's own errors ({@code {"error":{"code":…,"message":…,"status":…}}}, maybe in a list) in Anthropic's
     * shape, the deployment's access token masked (an upstream may echo it).
     */
    @Override
    public String anthropicError(Deployment deployment, int status, String body, Optional<String> errorType) {
        return tokens.redact(deployment, anthropicShape(status, body));
    }

    private String anthropicShape(int status, String body) {
        String message = body.strip();
        try {
            JsonNode root = mapper.readTree(body);
            if (root != null && root.isArray() && !root.isEmpty()) {
                root = root.get(0);
            }
            if (root != null
                    && root.path("type").asText().equals("error")
                    && root.path("error").isObject()) {
                return body; // Anthropic's own answer, relayed by Vertex
            }
            JsonNode error = root == null ? null : root.path("error");
            if (error != null && error.isObject()) {
                message = error.path("message").asText(message);
                String state = error.path("status").asText("");
                if (!state.isBlank()) {
                    message = "Vertex " + state + ": " + message;
                }
            }
        } catch (IOException e) {
            // not JSON: its text is the message
        }
        return new String(
                AnthropicErrorBody.of(
                        AnthropicErrorBody.typeFor(status), message.isEmpty() ? "HTTP " + status : message),
                StandardCharsets.UTF_8);
    }
}
