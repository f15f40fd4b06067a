package dev.keyline.adapters.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.StreamEnding;
import dev.keyline.adapters.providers.common.StreamEventShape;
import dev.keyline.adapters.providers.common.TransportFailures;
import dev.keyline.adapters.wire.AnthropicErrorBody;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Objects;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Reads Bedrock's binary event stream ({@code application/vnd.amazon.eventstream}) as it arrives and hands on the
 * Anthropic events inside, the same typed steps every other stream yields. Frames are decoded, CRCs checked, by
 * AWS's own codec. Each {@code chunk} event carries one Anthropic stream event (base64 JSON); an exception frame
 * (throttling, a model error, a validation error) becomes an Anthropic {@code error} event of the matching type, so
 * retries, fallbacks and cooldowns treat it exactly as they treat the same failure from Anthropic.
 */
final class BedrockEventStream implements EventStream {

    private final InputStream body;
    private final AutoCloseable connection;
    private final Deployment deployment;
    private final StreamEventShape shape;
    private final ObjectMapper mapper;
    private final Duration idleTimeout;
    private final ArrayDeque<Message> decoded = new ArrayDeque<>();
    private final MessageDecoder decoder = new MessageDecoder(decoded::add);
    private final byte[] buffer = new byte[8192];
    private boolean finished;
    private final StreamEnding ending = new StreamEnding();
    /** Set when the codec refused a frame (lengths or CRCs that do not add up); nothing after it is read. */
    private IllegalStateException damaged;

    BedrockEventStream(
            InputStream body,
            AutoCloseable connection,
            Deployment deployment,
            StreamEventShape shape,
            ObjectMapper mapper,
            Duration idleTimeout) {
        this.body = Objects.requireNonNull(body, "'body' must not be null");
        this.connection = Objects.requireNonNull(connection, "'connection' must not be null");
        this.deployment = Objects.requireNonNull(deployment, "'deployment' must not be null");
        this.shape = Objects.requireNonNull(shape, "'shape' must not be null");
        this.mapper = Objects.requireNonNull(mapper, "'mapper' must not be null");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
    }

    @Override
    public StreamStep next() {
        while (!finished) {
            Message message;
            try {
                message = nextMessage();
            } catch (IOException e) {
                finished = true;
                return ending.failedWith(TransportFailures.classify(deployment, idleTimeout, e));
            } catch (RuntimeException e) {
                // The codec refuses a frame whose lengths or CRCs do not add up.
                finished = true;
                return new StreamStep.Broken(
                        new ProviderFailure.MalformedReply(200, "the upstream sent a damaged event-stream frame"));
            }
            if (message == null) {
                finished = true;
                return ending.endOfBody();
            }
            StreamStep step = step(message);
            if (step != null) {
                return step;
            }
        }
        return new StreamStep.End();
    }

    @Override
    public boolean ready() {
        return finished || !decoded.isEmpty();
    }

    /**
     * @return the next whole frame, or null at the end of the body
     * @throws IllegalStateException once a damaged frame is reached; the whole frames read before it come first
     */
    private Message nextMessage() throws IOException {
        while (decoded.isEmpty()) {
            if (damaged != null) {
                throw damaged;
            }
            int read = body.read(buffer);
            if (read < 0) {
                return null;
            }
            try {
                decoder.feed(buffer, 0, read);
            } catch (RuntimeException e) {
                damaged = new IllegalStateException("a damaged event-stream frame", e);
            }
        }
        return decoded.poll();
    }

    /** @return the step a frame is, or null for a frame that carries nothing for the client */
    private StreamStep step(Message message) {
        String messageType = header(message, ":message-type");
        return switch (messageType) {
            case "event" -> header(message, ":event-type").equals("chunk") ? chunk(message) : null;
            case "exception" -> failed(header(message, ":exception-type"), payloadMessage(message));
            case "error" -> failed(header(message, ":error-code"), header(message, ":error-message"));
            default -> null;
        };
    }

    private StreamStep chunk(Message message) {
        String event;
        try {
            JsonNode bytes = mapper.readTree(message.getPayload()).path("bytes");
            event = new String(Base64.getDecoder().decode(bytes.asText("")), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            finished = true;
            return new StreamStep.Broken(
                    new ProviderFailure.MalformedReply(200, "a chunk's payload is not base64 JSON"));
        }
        return switch (shape.check(null, event)) {
            case StreamEventShape.Checked.Valid valid -> {
                if (ending.ends(valid.type(), event)) {
                    finished = true;
                }
                yield new StreamStep.Event(new StreamEvent(valid.type(), event));
            }
            case StreamEventShape.Checked.Invalid invalid -> {
                finished = true;
                yield new StreamStep.Broken(new ProviderFailure.MalformedReply(
                        200, "the upstream sent an event a client could not read (" + invalid.problem() + ")"));
            }
        };
    }

    /** An exception frame, as the Anthropic {@code error} event a client and the router already understand. */
    private StreamStep failed(String exceptionType, String text) {
        finished = true;
        String message = deployment.redactSecrets("Bedrock " + exceptionType + (text.isBlank() ? "" : ": " + text));
        byte[] error = AnthropicErrorBody.of(BedrockErrors.anthropicType(exceptionType), message);
        return new StreamStep.Event(new StreamEvent("error", new String(error, StandardCharsets.UTF_8)));
    }

    private String payloadMessage(Message message) {
        try {
            JsonNode payload = mapper.readTree(message.getPayload());
            return payload.path("message").asText(payload.path("Message").asText(""));
        } catch (IOException e) {
            return "";
        }
    }

    private static String header(Message message, String name) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? "" : value.getString();
    }

    @Override
    public void close() {
        finished = true;
        try {
            connection.close();
        } catch (Exception e) {
            // Closing a finished or broken upstream connection has nothing left to report.
        }
    }
}
