package dev.keyline.adapters.providers.toy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.UpstreamHeaders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The toy adapter of {@code docs/extending.md}: a made-up completion protocol, added the documented way and held to
 * the same contract as the real adapters ({@link ToyProviderClientTest}).
 *
 * <p>The protocol: {@code POST {api_base}/toy/v1/complete} with {@code {"model","prompt","stream"}}; the answer is
 * {@code {"completion": "..."}}, or, streamed, SSE frames {@code data: {"delta": "..."}} ending with
 * {@code data: [DONE]}. The adapter translates both into Anthropic Messages, which is what the port speaks.
 */
public final class ToyProviderClient implements ProviderClient {

    public static final String PATH = "/toy/v1/complete";

    private final ObjectMapper mapper = new ObjectMapper();
    // Redirects are never followed: a key goes to its deployment's origin and nowhere else.
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Override
    public ProviderReply send(Deployment deployment, ProviderRequest request) {
        Duration wait = wait(deployment.timeout(), request);
        if (wait.isZero()) {
            return new ProviderReply.Failed(new ProviderFailure.Timeout(wait));
        }
        try {
            HttpResponse<String> response =
                    http.send(call(deployment, request, false, wait), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                return new ProviderReply.Failed(failure(
                        deployment,
                        response.statusCode(),
                        response.body(),
                        response.headers().firstValue("retry-after")));
            }
            String text = mapper.readTree(response.body()).path("completion").asText();
            return new ProviderReply.Completed(answer(deployment, text), UpstreamHeaders.none());
        } catch (IOException e) {
            return new ProviderReply.Failed(transport(wait, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProviderReply.Failed(new ProviderFailure.ConnectionFailed("interrupted"));
        }
    }

    @Override
    public ProviderStream stream(Deployment deployment, ProviderRequest request) {
        Duration wait = wait(deployment.firstByteTimeout(), request);
        if (wait.isZero()) {
            return new ProviderStream.Failed(new ProviderFailure.Timeout(wait));
        }
        try {
            HttpResponse<InputStream> response =
                    http.send(call(deployment, request, true, wait), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 300) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                return new ProviderStream.Failed(failure(
                        deployment,
                        response.statusCode(),
                        body,
                        response.headers().firstValue("retry-after")));
            }
            ToyEvents events = new ToyEvents(deployment, response.body());
            return new ProviderStream.Opened(events, UpstreamHeaders.none());
        } catch (IOException e) {
            return new ProviderStream.Failed(transport(wait, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProviderStream.Failed(new ProviderFailure.ConnectionFailed("interrupted"));
        }
    }

    /** @return the deployment's own limit, or what is left of the request's deadline when that is sooner */
    private static Duration wait(Duration limit, ProviderRequest request) {
        if (request.answerBy().equals(Instant.MAX)) {
            return limit;
        }
        Duration left = Duration.between(Instant.now(), request.answerBy());
        return left.toMillis() < 1 ? Duration.ZERO : left.compareTo(limit) < 0 ? left : limit;
    }

    private HttpRequest call(Deployment deployment, ProviderRequest request, boolean stream, Duration wait) {
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("model", deployment.providerModel())
                .put("prompt", prompt(request))
                .put("stream", stream);
        HttpRequest.Builder call = HttpRequest.newBuilder(
                        URI.create(deployment.endpoint().base() + PATH))
                .timeout(wait)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        deployment.credentials().reveal().ifPresent(key -> {
            switch (deployment.authScheme()) {
                case AuthScheme.KeyHeader header -> call.header(header.name(), header.value(key));
                // The toy protocol takes a key in a header only; its descriptor offers no other scheme.
                case AuthScheme.AwsSignature signed -> throw new IllegalArgumentException("not a toy scheme");
                case AuthScheme.MintedToken minted -> throw new IllegalArgumentException("not a toy scheme");
            }
        });
        deployment.extraHeaders().values().forEach(call::header);
        return call.build();
    }

    private static String prompt(ProviderRequest request) {
        List<Message> messages = request.body().messages();
        return messages.isEmpty()
                ? ""
                : messages.getLast().content().stream()
                        .filter(ContentBlock.Text.class::isInstance)
                        .map(b -> ((ContentBlock.Text) b).text())
                        .reduce("", String::concat);
    }

    private static ProviderFailure failure(
            Deployment deployment, int status, String body, Optional<String> retryAfter) {
        if (status < 400) {
            return new ProviderFailure.MalformedReply(status, "redirects are not followed");
        }
        Optional<Duration> wait = retryAfter.flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        return ProviderFailure.fromHttpStatus(status, deployment.credentials().redactFrom(body), wait);
    }

    private static ProviderFailure transport(Duration waited, IOException e) {
        return e instanceof HttpTimeoutException
                ? new ProviderFailure.Timeout(waited)
                : new ProviderFailure.ConnectionFailed("the connection failed");
    }

    private static MessageResponse answer(Deployment deployment, String text) {
        return new MessageResponse(
                "msg_toy",
                deployment.providerModel(),
                List.of(ContentBlock.Text.of(text)),
                Optional.of("end_turn"),
                Optional.empty(),
                Usage.zero(),
                RawJson.empty());
    }

    /** The toy stream, translated frame by frame into Messages events as it is read. */
    private final class ToyEvents implements EventStream {
        private final Deployment deployment;
        private final BufferedReader lines;
        private final Deque<StreamEvent> ready = new ArrayDeque<>();
        private boolean started;
        private boolean done;

        ToyEvents(Deployment deployment, InputStream body) {
            this.deployment = deployment;
            this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        @Override
        public StreamStep next() {
            try {
                while (ready.isEmpty() && !done) {
                    String line = lines.readLine();
                    if (line == null) {
                        return new StreamStep.Broken(
                                new ProviderFailure.ConnectionFailed("the stream ended before [DONE]"));
                    }
                    if (line.startsWith("data: ")) {
                        frame(line.substring("data: ".length()));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                return new StreamStep.Broken(new ProviderFailure.ConnectionFailed("the stream broke"));
            }
            return ready.isEmpty() ? new StreamStep.End() : new StreamStep.Event(ready.poll());
        }

        private void frame(String data) throws IOException {
            if (!started) {
                started = true;
                ready.add(new StreamEvent(
                        "message_start",
                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_toy\","
                                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\""
                                + deployment.providerModel() + "\",\"stop_reason\":null,\"usage\":{\"input_tokens\":0,"
                                + "\"output_tokens\":0}}}"));
                ready.add(new StreamEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,"
                                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
            }
            if (data.strip().equals("[DONE]")) {
                done = true;
                ready.add(new StreamEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
                ready.add(new StreamEvent(
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                                + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":0}}"));
                ready.add(new StreamEvent("message_stop", "{\"type\":\"message_stop\"}"));
                return;
            }
            JsonNode delta = mapper.readTree(data).path("delta");
            ObjectNode event = JsonNodeFactory.instance
                    .objectNode()
                    .put("type", "content_block_delta")
                    .put("index", 0);
            event.putObject("delta").put("type", "text_delta").put("text", delta.asText());
            ready.add(new StreamEvent("content_block_delta", event.toString()));
        }

        @Override
        public void close() {
            try {
                lines.close();
            } catch (IOException e) {
                // The connection is being dropped either way.
            }
        }
    }
}
