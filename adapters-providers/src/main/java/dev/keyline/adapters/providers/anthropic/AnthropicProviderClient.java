package dev.keyline.adapters.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.providers.common.CallBudget;
import dev.keyline.adapters.providers.common.FirstByteWatch;
import dev.keyline.adapters.providers.common.PrefetchedEventStream;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.providers.common.RelayedHeaders;
import dev.keyline.adapters.providers.common.SseEventStream;
import dev.keyline.adapters.providers.common.StreamErrors;
import dev.keyline.adapters.providers.common.StreamEventShape;
import dev.keyline.adapters.providers.common.TransportFailures;
import dev.keyline.adapters.providers.common.UpstreamExchange;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.adapters.wire.WireFormatException;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.UpstreamEvent;
import dev.keyline.ports.out.UpstreamHeaders;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls Anthropic-compatible endpoints ({@code POST {api_base}/v1/messages}). Everything a call carries comes from
 * the {@link Deployment} it is given and the client's protocol headers; the client's own credentials never do.
 */
public final class AnthropicProviderClient implements ProviderClient {

    private static final String JSON = UpstreamExchange.JSON;
    private static final String EVENT_STREAM = UpstreamExchange.EVENT_STREAM;

    private final Http1Client http;
    private final MessagesRequestCodec requests;
    private final MessageResponseCodec responses;
    private final ObjectMapper mapper;
    private final InstantSource clock;
    private final StreamEventShape shape;
    private final FirstByteWatch firstByteWatch = new FirstByteWatch();
    /** Each endpoint's Messages URI, parsed once rather than for every call. */
    private final Map<Endpoint, URI> messagesUris = new ConcurrentHashMap<>();

    /**
     * @param http   a client with redirects turned off; see {@link ProviderHttpClients}
     * @param mapper the JSON mapper
     * @param clock  the time source, for HTTP-date {@code retry-after} values
     */
    public AnthropicProviderClient(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        this.http = Objects.requireNonNull(http, "'http' must not be null");
        this.mapper = Objects.requireNonNull(mapper, "'mapper' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.requests = new MessagesRequestCodec(mapper);
        this.responses = new MessageResponseCodec(mapper);
        this.shape = new StreamEventShape(mapper.getFactory());
    }

    @Override
    public ProviderReply send(Deployment deployment, ProviderRequest request) {
        Duration wait = CallBudget.of(deployment.timeout(), request, clock);
        if (wait.isZero()) {
            return new ProviderReply.Failed(new ProviderFailure.Timeout(wait));
        }
        return firstByteWatch.within(
                wait,
                deployment.timeout(),
                () -> answer(deployment, request, wait),
                () -> new ProviderReply.Failed(new ProviderFailure.Timeout(wait)));
    }

    private ProviderReply answer(Deployment deployment, ProviderRequest request, Duration wait) {
        byte[] body = requests.write(upstreamBody(deployment, request, false));
        try (Http1ClientResponse response = prepare(deployment, request, JSON).submit(body)) {
            int status = response.status().code();
            if (status >= 300) {
                return new ProviderReply.Failed(failure(deployment, response, status));
            }
            byte[] answer = UpstreamExchange.readAll(response);
            try {
                return new ProviderReply.Completed(responses.read(answer), RelayedHeaders.from(response.headers()));
            } catch (WireFormatException e) {
                return new ProviderReply.Failed(new ProviderFailure.MalformedReply(
                        status, "the upstream's answer is not a Messages response (" + e.getMessage() + ")"));
            }
        } catch (IOException | RuntimeException e) {
            return new ProviderReply.Failed(TransportFailures.classify(deployment, wait, e));
        }
    }

    @Override
    public ProviderStream stream(Deployment deployment, ProviderRequest request) {
        Duration firstByte = CallBudget.of(deployment.firstByteTimeout(), request, clock);
        if (firstByte.isZero()) {
            return new ProviderStream.Failed(new ProviderFailure.Timeout(firstByte));
        }
        return firstByteWatch.watched(firstByte, () -> open(deployment, request, firstByte));
    }

    /** Sends the request and reads up to the first event: what the first-byte watch covers. */
    private ProviderStream open(Deployment deployment, ProviderRequest request, Duration firstByte) {
        byte[] body = requests.write(upstreamBody(deployment, request, true));
        Duration idle = deployment.timeout();
        Http1ClientResponse response = null;
        try {
            response = prepare(deployment, request, EVENT_STREAM).submit(body);
            int status = response.status().code();
            Optional<ProviderFailure> refused = status >= 300
                    ? Optional.of(failure(deployment, response, status))
                    : UpstreamExchange.notAnEventStream(response, status);
            if (refused.isPresent()) {
                response.close();
                return new ProviderStream.Failed(refused.get());
            }
            SseEventStream events = new SseEventStream(response.inputStream(), response, deployment, shape, idle);
            return opened(events, deployment, RelayedHeaders.from(response.headers()));
        } catch (RuntimeException e) {
            if (response != null) {
                response.close();
            }
            return new ProviderStream.Failed(
                    TransportFailures.classify(deployment, CallBudget.min(idle, firstByte), e));
        }
    }

    /**
     * Reads the first event before declaring the stream open: a stream that breaks or opens with an {@code error}
     * event has sent the client nothing yet, so it is reported as a failure the router may retry elsewhere.
     */
    private ProviderStream opened(SseEventStream events, Deployment deployment, UpstreamHeaders headers) {
        StreamStep first = events.next();
        Optional<ProviderFailure> failure = switch (first) {
            case StreamStep.Event(UpstreamEvent.Framed(var frame))
            when frame.isError() ->
                Optional.of(
                        StreamErrors.classify(mapper, deployment.credentials().redactFrom(frame.data())));
            case StreamStep.Event event -> Optional.empty();
            case StreamStep.Broken broken -> Optional.of(broken.failure());
            case StreamStep.End end ->
                Optional.of(new ProviderFailure.ConnectionFailed("the stream ended before its first event"));
        };
        if (failure.isPresent()) {
            events.close();
            return new ProviderStream.Failed(failure.get());
        }
        return new ProviderStream.Opened(new PrefetchedEventStream(first, events), headers);
    }

    @Override
    public TokenCount countTokens(Deployment deployment, ProviderRequest request) {
        Duration wait = CallBudget.of(deployment.timeout(), request, clock);
        if (wait.isZero()) {
            return new TokenCount.Failed(new ProviderFailure.Timeout(wait));
        }
        byte[] body;
        try {
            // The count endpoint takes a Messages request without max_tokens and stream.
            ObjectNode tree = (ObjectNode) mapper.readTree(requests.write(upstreamBody(deployment, request, false)));
            tree.remove("max_tokens");
            tree.remove("stream");
            body = mapper.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("a request the codec wrote always reads back", e);
        }
        return firstByteWatch.within(
                wait,
                deployment.timeout(),
                () -> count(deployment, request, body, wait),
                () -> new TokenCount.Failed(new ProviderFailure.Timeout(wait)));
    }

    private TokenCount count(Deployment deployment, ProviderRequest request, byte[] body, Duration wait) {
        URI uri = AnthropicPaths.countTokens(deployment.endpoint());
        try (Http1ClientResponse response =
                prepare(uri, deployment, request, JSON).submit(body)) {
            int status = response.status().code();
            if (status == 404) {
                return new TokenCount.Unsupported(); // an Anthropic-compatible host without the count endpoint
            }
            if (status >= 300) {
                return new TokenCount.Failed(failure(deployment, response, status));
            }
            JsonNode count = mapper.readTree(UpstreamExchange.readAll(response)).path("input_tokens");
            return count.canConvertToLong() && count.asLong() >= 0
                    ? new TokenCount.Counted(count.asLong())
                    : new TokenCount.Failed(
                            new ProviderFailure.MalformedReply(status, "the count has no input_tokens"));
        } catch (IOException | RuntimeException e) {
            return new TokenCount.Failed(TransportFailures.classify(deployment, wait, e));
        }
    }

    private static MessagesRequest upstreamBody(Deployment deployment, ProviderRequest request, boolean stream) {
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

    private Http1ClientRequest prepare(Deployment deployment, ProviderRequest request, String accept) {
        return prepare(
                messagesUris.computeIfAbsent(deployment.endpoint(), AnthropicPaths::messages),
                deployment,
                request,
                accept);
    }

    private Http1ClientRequest prepare(URI uri, Deployment deployment, ProviderRequest request, String accept) {
        return UpstreamExchange.post(http, uri, deployment, accept, call -> {
            call.header(
                    HeaderNames.create("anthropic-version"), request.headers().versionOrDefault());
            if (!request.headers().anthropicBeta().isEmpty()) {
                call.header(
                        HeaderNames.create("anthropic-beta"),
                        String.join(",", request.headers().anthropicBeta()));
            }
        });
    }

    private ProviderFailure failure(Deployment deployment, Http1ClientResponse response, int status) {
        return UpstreamExchange.failure(deployment, response, status, clock, body -> body, Optional::empty);
    }
}
