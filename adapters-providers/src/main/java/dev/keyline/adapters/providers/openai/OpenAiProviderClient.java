package dev.keyline.adapters.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.CallBudget;
import dev.keyline.adapters.providers.common.FirstByteWatch;
import dev.keyline.adapters.providers.common.PrefetchedEventStream;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.providers.common.RelayedHeaders;
import dev.keyline.adapters.providers.common.TransportFailures;
import dev.keyline.adapters.providers.common.UpstreamExchange;
import dev.keyline.adapters.wire.AnthropicErrorBody;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ErrorReply;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls OpenAI-compatible endpoints ({@code POST {api_base}/chat/completions}: vLLM, Ollama, DeepSeek, Groq,
 * OpenRouter, OpenAI) for Messages clients, translating both ways ({@link OpenAiChatRequests}, {@link OpenAiChatAnswers},
 * {@link OpenAiChunkStream}). As with every adapter, everything a call carries comes from the {@link Deployment}:
 * its base, its key (as {@code Authorization: Bearer} unless configured otherwise), its headers.
 */
public final class OpenAiProviderClient implements ProviderClient {

    private static final String JSON = UpstreamExchange.JSON;
    private static final String EVENT_STREAM = UpstreamExchange.EVENT_STREAM;
    /** {@code x-ratelimit-reset-requests: 1m30.5s}, {@code 20ms}: OpenAI's own wait, when no Retry-After is given. */
    private static final Pattern RESET_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private final Http1Client http;
    private final ObjectMapper mapper;
    private final InstantSource clock;
    private final OpenAiChatRequests requests;
    private final OpenAiChatAnswers answers;
    private final FirstByteWatch firstByteWatch = new FirstByteWatch();

    /**
     * @param http   a client with redirects turned off; see {@link ProviderHttpClients}
     * @param mapper the JSON mapper
     * @param clock  the time source, for deadlines and HTTP-date {@code retry-after} values
     */
    public OpenAiProviderClient(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        this.http = Objects.requireNonNull(http, "'http' must not be null");
        this.mapper = Objects.requireNonNull(mapper, "'mapper' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.requests = new OpenAiChatRequests(mapper);
        this.answers = new OpenAiChatAnswers(mapper);
    }

    @Override
    public ProviderReply send(Deployment deployment, ProviderRequest request) {
        Duration wait = CallBudget.of(deployment.timeout(), request, clock);
        if (wait.isZero()) {
            return new ProviderReply.Failed(new ProviderFailure.Timeout(wait));
        }
        byte[] body;
        try {
            body = requests.write(deployment, request.body(), false);
        } catch (UntranslatableRequest e) {
            return new ProviderReply.Failed(refused(e));
        }
        return firstByteWatch.within(
                wait,
                deployment.timeout(),
                () -> answer(deployment, request, body, wait),
                () -> new ProviderReply.Failed(new ProviderFailure.Timeout(wait)));
    }

    private ProviderReply answer(Deployment deployment, ProviderRequest request, byte[] body, Duration wait) {
        try (Http1ClientResponse response = prepare(deployment, request, JSON).submit(body)) {
            int status = response.status().code();
            if (status >= 300) {
                return new ProviderReply.Failed(failure(deployment, response, status));
            }
            byte[] answer = UpstreamExchange.readAll(response);
            try {
                return new ProviderReply.Completed(
                        answers.read(answer, request.body()), RelayedHeaders.from(response.headers()));
            } catch (IOException | RuntimeException e) {
                return new ProviderReply.Failed(new ProviderFailure.MalformedReply(
                        status, "the upstream's answer is not a chat completion (" + e.getMessage() + ")"));
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
        byte[] body;
        try {
            body = requests.write(deployment, request.body(), true);
        } catch (UntranslatableRequest e) {
            return new ProviderStream.Failed(refused(e));
        }
        return firstByteWatch.watched(firstByte, () -> open(deployment, request, body, firstByte));
    }

    /** Sends the request and reads up to the first event: what the first-byte watch covers. */
    private ProviderStream open(Deployment deployment, ProviderRequest request, byte[] body, Duration firstByte) {
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
            OpenAiChunkStream events =
                    new OpenAiChunkStream(response.inputStream(), response, deployment, mapper, request.body(), idle);
            StreamStep first = events.next();
            return switch (first) {
                case StreamStep.Event event ->
                    new ProviderStream.Opened(
                            new PrefetchedEventStream(first, events), RelayedHeaders.from(response.headers()));
                case StreamStep.Broken broken -> {
                    events.close();
                    yield new ProviderStream.Failed(broken.failure());
                }
                case StreamStep.End end -> {
                    events.close();
                    yield new ProviderStream.Failed(
                            new ProviderFailure.ConnectionFailed("the stream ended before its first chunk"));
                }
            };
        } catch (RuntimeException e) {
            if (response != null) {
                response.close();
            }
            return new ProviderStream.Failed(
                    TransportFailures.classify(deployment, CallBudget.min(idle, firstByte), e));
        }
    }

    private Http1ClientRequest prepare(Deployment deployment, ProviderRequest request, String accept) {
        return UpstreamExchange.post(
                http,
                OpenAiPaths.chatCompletions(deployment.endpoint()),
                deployment,
                accept,
                request.observer(),
                call -> {});
    }

    private ProviderFailure failure(Deployment deployment, Http1ClientResponse response, int status) {
        return UpstreamExchange.failure(
                deployment,
                response,
                status,
                clock,
                body -> answers.anthropicError(status, body),
                () -> resetWait(response));
    }

    /** @return the longer of OpenAI's request and token reset times, when the upstream gave them */
    private static Optional<Duration> resetWait(Http1ClientResponse response) {
        Optional<Duration> requests = response.headers()
                .first(HeaderNames.create("x-ratelimit-reset-requests"))
                .flatMap(OpenAiProviderClient::duration);
        Optional<Duration> tokens = response.headers()
                .first(HeaderNames.create("x-ratelimit-reset-tokens"))
                .flatMap(OpenAiProviderClient::duration);
        if (requests.isPresent() && tokens.isPresent()) {
            return Optional.of(requests.get().compareTo(tokens.get()) >= 0 ? requests.get() : tokens.get());
        }
        return requests.or(() -> tokens);
    }

    static Optional<Duration> duration(String text) {
        Matcher part = RESET_PART.matcher(text.strip());
        double millis = 0;
        int matched = 0;
        while (part.find()) {
            double value = Double.parseDouble(part.group(1));
            millis += switch (part.group(2)) {
                case "h" -> value * 3_600_000;
                case "m" -> value * 60_000;
                case "s" -> value * 1_000;
                default -> value;
            };
            matched += part.group().length();
        }
        return matched == 0 || matched != text.strip().length()
                ? Optional.empty()
                : Optional.of(Duration.ofMillis(Math.round(millis)));
    }

    private ProviderFailure refused(UntranslatableRequest e) {
        String body =
                new String(AnthropicErrorBody.of("invalid_request_error", e.getMessage()), StandardCharsets.UTF_8);
        return new ProviderFailure.InvalidRequest(new ErrorReply(400, body));
    }
}
