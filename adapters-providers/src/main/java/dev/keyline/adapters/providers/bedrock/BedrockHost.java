package dev.keyline.adapters.providers.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.providers.anthropic.AnthropicHost;
import dev.keyline.adapters.providers.anthropic.BodyRewrite;
import dev.keyline.adapters.providers.anthropic.CredentialFailure;
import dev.keyline.adapters.providers.anthropic.MessagesHost;
import dev.keyline.adapters.providers.common.StreamEventShape;
import dev.keyline.adapters.providers.common.UpstreamExchange;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Claude on Amazon Bedrock ({@code InvokeModel}, {@code InvokeModelWithResponseStream}, {@code CountTokens}): the
 * model in the path, the Messages body without {@code model} and {@code stream} and with Bedrock's
 * {@code anthropic_version} and the client's betas, every call signed with the deployment's own AWS keys (or its
 * Bedrock API key as Bearer), streams in AWS's binary event stream.
 */
final class BedrockHost implements MessagesHost {

    static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";
    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
    /** The model is in the path, the stream is the path's choice, the version is Bedrock's own. */
    private static final Set<String> LEFT_OUT = Set.of("model", "stream", "anthropic_version");
    /** As {@link #LEFT_OUT}, when the client's beta headers become the body's {@code anthropic_beta}. */
    private static final Set<String> LEFT_OUT_WITH_BETAS =
            Set.of("model", "stream", "anthropic_version", "anthropic_beta");

    private final ObjectMapper mapper;
    private final MessagesRequestCodec requests;
    private final StreamEventShape shape;
    private final SigV4Signer signer;
    private final AssumedRoles roles;

    BedrockHost(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        this.mapper = mapper;
        this.requests = new MessagesRequestCodec(mapper);
        this.shape = new StreamEventShape(mapper.getFactory());
        this.signer = new SigV4Signer(clock);
        this.roles = new AssumedRoles(http, signer, clock);
    }

    @Override
    public URI messages(Deployment deployment, boolean stream) {
        return stream
                ? BedrockPaths.invokeWithResponseStream(deployment.endpoint(), deployment.providerModel())
                : BedrockPaths.invoke(deployment.endpoint(), deployment.providerModel());
    }

    @Override
    public byte[] body(Deployment deployment, ProviderRequest request, boolean stream) {
        return invokeBody(deployment, request);
    }

    /** Bedrock refuses keys it does not know ("extraneous key [stream] is not permitted"). */
    private byte[] invokeBody(Deployment deployment, ProviderRequest request) {
        byte[] body = requests.write(AnthropicHost.withModelAndStream(deployment, request, false));
        List<String> betas = request.headers().anthropicBeta();
        return BodyRewrite.of(mapper.getFactory(), body, betas.isEmpty() ? LEFT_OUT : LEFT_OUT_WITH_BETAS, out -> {
            out.writeStringField("anthropic_version", ANTHROPIC_VERSION);
            if (!betas.isEmpty()) {
                out.writeArrayFieldStart("anthropic_beta");
                for (String beta : betas) {
                    out.writeString(beta);
                }
                out.writeEndArray();
            }
        });
    }

    @Override
    public void authenticate(
            Http1ClientRequest call, Deployment deployment, ProviderRequest request, URI uri, byte[] body)
            throws CredentialFailure {
        // The model id's ':' and '/' must travel encoded, as signed: a URI given to the client has its path decoded
        // (an ARN's "%2F" would become a path separator), so the path is set as it must go on the wire.
        ClientUri exact = ClientUri.create();
        exact.scheme(uri.getScheme());
        exact.host(uri.getHost());
        exact.port(uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80);
        exact.path(uri.getRawPath());
        call.uri(exact);
        call.skipUriEncoding(true);
        switch (deployment.authScheme()) {
            case AuthScheme.KeyHeader header -> {
                // A Bedrock API key: UpstreamExchange has set it as Bearer; nothing is signed.
            }
            case AuthScheme.AwsSignature aws -> {
                SigV4Signer.AwsKeys base = new SigV4Signer.AwsKeys(
                        aws.accessKeyId(),
                        deployment.credentials().reveal().orElseThrow(),
                        aws.sessionToken().flatMap(token -> token.reveal()));
                SigV4Signer.AwsKeys keys = aws.role().isPresent()
                        ? roles.keys(deployment, aws, aws.role().orElseThrow(), base)
                        : base;
                Map<String, String> signature = signer.sign(
                        uri, Map.of("content-type", UpstreamExchange.JSON), body, aws.service(), aws.region(), keys);
                signature.forEach((name, value) -> call.header(HeaderNames.create(name), value));
            }
            case AuthScheme.MintedToken token ->
                throw new CredentialFailure("deployment " + deployment.id()
                        + ": Bedrock takes AWS keys or a Bedrock API key, not a minted token");
        }
    }

    @Override
    public String streamContentType() {
        return EVENT_STREAM;
    }

    @Override
    public EventStream events(Http1ClientResponse response, Deployment deployment, Duration idleTimeout) {
        return new BedrockEventStream(response.inputStream(), response, deployment, shape, mapper, idleTimeout);
    }

    @Override
    public Optional<CountCall> countTokens(Deployment deployment, ProviderRequest request) {
        try {
            ObjectNode count = mapper.createObjectNode();
            count.putObject("input").putObject("invokeModel").put("body", invokeBody(deployment, request));
            return Optional.of(new CountCall(
                    BedrockPaths.countTokens(deployment.endpoint(), deployment.providerModel()),
                    mapper.writeValueAsBytes(count),
                    "inputTokens",
                    // A model without CountTokens is a ValidationException (400); the gateway estimates instead.
                    Set.of(400, 404)));
        } catch (IOException e) {
            throw new IllegalStateException("a request tree always writes", e);
        }
    }

    @Override
    public String anthropicError(Deployment deployment, int status, String body, Optional<String> errorType) {
        return BedrockErrors.anthropicShape(mapper, status, body, errorType);
    }
}
