package dev.keyline.adapters.providers.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.SseEventStream;
import dev.keyline.adapters.providers.common.StreamEventShape;
import dev.keyline.adapters.providers.common.UpstreamExchange;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anthropic's own door and every Anthropic-compatible host: {@code POST {api_base}/v1/messages} with the model in
 * the body, the protocol version and betas as headers, the key in its header, answers as SSE.
 */
public final class AnthropicHost implements MessagesHost {

    private static final Set<String> NOT_COUNTED = Set.of("max_tokens", "stream");

    private final ObjectMapper mapper;
    private final MessagesRequestCodec requests;
    private final StreamEventShape shape;
    /** Each endpoint's Messages URI, parsed once rather than for every call. */
    private final Map<Endpoint, URI> messagesUris = new ConcurrentHashMap<>();

    public AnthropicHost(ObjectMapper mapper) {
        this.mapper = mapper;
        this.requests = new MessagesRequestCodec(mapper);
        this.shape = new StreamEventShape(mapper.getFactory());
    }

    @Override
    public URI messages(Deployment deployment, boolean stream) {
        return messagesUris.computeIfAbsent(deployment.endpoint(), AnthropicPaths::messages);
    }

    @Override
    public byte[] body(Deployment deployment, ProviderRequest request, boolean stream) {
        return requests.write(withModelAndStream(deployment, request, stream));
    }

    @Override
    public void authenticate(
            Http1ClientRequest call, Deployment deployment, ProviderRequest request, URI uri, byte[] body) {
        // The key header is all; UpstreamExchange sets it.
    }

    @Override
    public void protocolHeaders(Http1ClientRequest call, ProviderRequest request) {
        call.header(HeaderNames.create("anthropic-version"), request.headers().versionOrDefault());
        if (!request.headers().anthropicBeta().isEmpty()) {
            call.header(
                    HeaderNames.create("anthropic-beta"),
                    String.join(",", request.headers().anthropicBeta()));
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

    @Override
    public Optional<CountCall> countTokens(Deployment deployment, ProviderRequest request) {
        // The count endpoint takes a Messages request without max_tokens and stream.
        return Optional.of(new CountCall(
                AnthropicPaths.countTokens(deployment.endpoint()),
                BodyRewrite.of(mapper.getFactory(), body(deployment, request, false), NOT_COUNTED, out -> {}),
                "input_tokens"));
    }

    @Override
    public String anthropicError(Deployment deployment, int status, String body, Optional<String> errorType) {
        return body;
    }

    /** @return the client's request as the deployment's upstream takes it: its provider model, the stream flag */
    public static MessagesRequest withModelAndStream(Deployment deployment, ProviderRequest request, boolean stream) {
        MessagesRequest body = request.body().withModel(deployment.providerModel());
        return body.stream() == stream
                ? body
                : new MessagesRequest(
                        body.model(),
                        body.maxTokens(),
                        body.messages(),
                        body.tools(),
                        body.toolChoice(),
                        stream,
                        body.extra());
    }
}
