package dev.keyline.adapters.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.CallBudget;
import dev.keyline.adapters.providers.common.FirstByteWatch;
import dev.keyline.adapters.providers.common.PrefetchedEventStream;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.providers.common.RelayedHeaders;
import dev.keyline.adapters.providers.common.StreamErrors;
import dev.keyline.adapters.providers.common.TransportFailures;
import dev.keyline.adapters.providers.common.UpstreamExchange;
import dev.keyline.adapters.wire.AnthropicErrorBody;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.WireFormatException;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.ports.out.EventStream;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Speaks Anthropic's Messages API to one kind of host ({@link MessagesHost}): Anthropic-compatible endpoints
 * ({@code POST {api_base}/v1/messages}), Amazon Bedrock, Google Vertex AI. Everything a call carries comes from the
 * {@link Deployment} it is given and the client's protocol headers; the client's own credentials never do.
 */
public final class AnthropicProviderClient implements ProviderClient {

    private static final String JSON = UpstreamExchange.JSON;

    private final Http1Client http;
    private final MessageResponseCodec responses;
    private final ObjectMapper mapper;
    private final InstantSource clock;
    private final MessagesHost host;
    private final FirstByteWatch firstByteWatch = new FirstByteWatch();

    /**
     * An adapter for Anthropic-compatible hosts.
     *
     * @param http   a client with redirects turned off; see {@link ProviderHttpClients}
     * @param mapper the JSON mapper
     * @param clock  the time source, for HTTP-date {@code retry-after} values
     */
    public AnthropicProviderClient(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        this(http, mapper, clock, new AnthropicHost(mapper));
    }

    /** @param host where the Messages API lives and how it is authenticated there */
    public AnthropicProviderClient(Http1Client http, ObjectMapper mapper, InstantSource clock, MessagesHost host) {
        this.http = Objects.requireNonNull(http, "'http' must not be null");
        this.mapper = Objects.requireNonNull(mapper, "'mapper' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.host = Objects.requireNonNull(host, "'host' must not be null");
        this.responses = new MessageResponseCodec(mapper);
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
        URI uri = host.messages(deployment, false);
        byte[] body = host.body(deployment, request, false);
        Http1ClientRequest call;
        try {
            call = prepare(uri, deployment, request, JSON, body);
        } catch (CredentialFailure e) {
            return new ProviderReply.Failed(unauthorized(e));
        }
        try (Http1ClientResponse response = call.submit(body)) {
            int status = response.status().code();
            if (status >= 300) {
                return new ProviderReply.Failed(failure(deployment, response, status));
            }
            byte[] answer = UpstreamExchange.readAll(response);
            try {
                return new ProviderReply.Completed(responses.answer(answer), RelayedHeaders.from(response.headers()));
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
        URI uri = host.messages(deployment, true);
        byte[] body = host.body(deployment, request, true);
        Duration idle = deployment.timeout();
        Http1ClientResponse response = null;
        try {
            response = prepare(uri, deployment, request, host.streamContentType(), body)
                    .submit(body);
            int status = response.status().code();
            Optional<ProviderFailure> refused = status >= 300
                    ? Optional.of(failure(deployment, response, status))
                    : UpstreamExchange.notAnEventStream(response, status, host.streamContentType());
            if (refused.isPresent()) {
                response.close();
                return new ProviderStream.Failed(refused.get());
            }
            EventStream events = host.events(response, deployment, idle);
            return opened(events, deployment, RelayedHeaders.from(response.headers()));
        } catch (CredentialFailure e) {
            return new ProviderStream.Failed(unauthorized(e));
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
    private ProviderStream opened(EventStream events, Deployment deployment, UpstreamHeaders headers) {
        StreamStep first = events.next();
        Optional<ProviderFailure> failure = switch (first) {
            case StreamStep.Event(UpstreamEvent.Framed(var frame))
            when frame.isError() -> Optional.of(StreamErrors.classify(mapper, deployment.redactSecrets(frame.data())));
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
        Optional<MessagesHost.CountCall> call = host.countTokens(deployment, request);
        if (call.isEmpty()) {
            return new TokenCount.Unsupported();
        }
        return firstByteWatch.within(
                wait,
                deployment.timeout(),
                () -> count(deployment, request, call.orElseThrow(), wait),
                () -> new TokenCount.Failed(new ProviderFailure.Timeout(wait)));
    }

    private TokenCount count(
            Deployment deployment, ProviderRequest request, MessagesHost.CountCall call, Duration wait) {
        Http1ClientRequest prepared;
        try {
            prepared = prepare(call.uri(), deployment, request, JSON, call.body());
        } catch (CredentialFailure e) {
            return new TokenCount.Failed(unauthorized(e));
        }
        try (Http1ClientResponse response = prepared.submit(call.body())) {
            int status = response.status().code();
            if (call.unsupported().contains(status)) {
                return new TokenCount.Unsupported(); // a host or model without counting: the gateway estimates
            }
            if (status >= 300) {
                return new TokenCount.Failed(failure(deployment, response, status));
            }
            JsonNode count = mapper.readTree(UpstreamExchange.readAll(response)).path(call.countField());
            return count.canConvertToLong() && count.asLong() >= 0
                    ? new TokenCount.Counted(count.asLong())
                    : new TokenCount.Failed(
                            new ProviderFailure.MalformedReply(status, "the count has no " + call.countField()));
        } catch (IOException | RuntimeException e) {
            return new TokenCount.Failed(TransportFailures.classify(deployment, wait, e));
        }
    }

    private Http1ClientRequest prepare(
            URI uri, Deployment deployment, ProviderRequest request, String accept, byte[] body)
            throws CredentialFailure {
        Http1ClientRequest call = UpstreamExchange.post(
                http, uri, deployment, accept, request.observer(), c -> host.protocolHeaders(c, request));
        host.authenticate(call, deployment, request, uri, body);
        return call;
    }

    private ProviderFailure failure(Deployment deployment, Http1ClientResponse response, int status) {
        Optional<String> errorType = response.headers().first(HeaderNames.create("x-amzn-errortype"));
        return UpstreamExchange.failure(
                deployment,
                response,
                status,
                clock,
                body -> host.anthropicError(deployment, status, body, errorType),
                Optional::empty);
    }

    private static ProviderFailure unauthorized(CredentialFailure e) {
        return ProviderFailure.fromHttpStatus(
                401,
                new String(AnthropicErrorBody.of("authentication_error", e.getMessage()), StandardCharsets.UTF_8),
                Optional.empty());
    }
}
