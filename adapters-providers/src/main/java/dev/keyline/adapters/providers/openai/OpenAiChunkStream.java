package dev.keyline.adapters.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.SseFrameReader;
import dev.keyline.adapters.providers.common.TransportFailures;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a chat completions stream into a Messages stream as its chunks arrive: the first chunk opens the message,
 * text and each tool call become blocks in the order they come (a tool call's argument fragments, keyed by its
 * index, become {@code input_json_delta}s on its block), and {@code finish_reason} with the usage chunk end it with
 * {@code message_delta} and {@code message_stop}. A chunk that is not JSON, an error chunk, or a stream that ends
 * before its {@code finish_reason} breaks the stream, so the client gets an error, never a truncated success.
 */
final class OpenAiChunkStream implements EventStream {

    private final SseFrameReader reader;
    private final AutoCloseable connection;
    private final Deployment deployment;
    private final ObjectMapper mapper;
    private final MessagesRequest request;
    private final Duration idleTimeout;
    private final OpenAiChatAnswers answers;
    private final Deque<StreamStep> ready = new ArrayDeque<>();
    /** Tool calls by their chat index, as the Messages block index they were given. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();

    private boolean started;
    private int nextIndex;
    /** The open block's index, or -1. */
    private int openBlock = -1;

    private boolean openIsText;
    private Optional<OpenAiChatAnswers.StopReason> stop = Optional.empty();
    private Usage usage = Usage.zero();
    private boolean finished;
    private boolean closed;

    OpenAiChunkStream(
            InputStream body,
            AutoCloseable connection,
            Deployment deployment,
            ObjectMapper mapper,
            MessagesRequest request,
            Duration idleTimeout) {
        this.reader = new SseFrameReader(body);
        this.connection = Objects.requireNonNull(connection, "'connection' must not be null");
        this.deployment = Objects.requireNonNull(deployment, "'deployment' must not be null");
        this.mapper = Objects.requireNonNull(mapper, "'mapper' must not be null");
        this.request = Objects.requireNonNull(request, "'request' must not be null");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
        this.answers = new OpenAiChatAnswers(mapper);
    }

    @Override
    public StreamStep next() {
        while (ready.isEmpty() && !finished) {
            try {
                String data = readData();
                if (data == null) {
                    ended();
                } else if (data.strip().equals("[DONE]")) {
                    ended();
                } else {
                    chunk(data);
                }
            } catch (IOException | RuntimeException e) {
                broke(TransportFailures.classify(deployment, idleTimeout, e));
            }
        }
        return ready.isEmpty() ? new StreamStep.End() : ready.poll();
    }

    @Override
    public boolean ready() {
        return !ready.isEmpty() || finished;
    }

    /** @return the data of the next event, or null at the end of the body */
    private String readData() throws IOException {
        SseFrameReader.Frame frame = reader.next();
        return frame == null ? null : frame.data();
    }

    private void chunk(String data) {
        JsonNode chunk;
        try {
            chunk = mapper.readTree(data);
        } catch (IOException e) {
            broke(new ProviderFailure.MalformedReply(200, "the upstream sent a chunk that is not JSON"));
            return;
        }
        if (chunk == null || !chunk.isObject()) {
            broke(new ProviderFailure.MalformedReply(200, "the upstream sent a chunk that is not a JSON object"));
            return;
        }
        if (chunk.path("error").isObject() || chunk.path("error").isTextual()) {
            String body = answers.anthropicError(500, chunk.toString());
            broke(ProviderFailure.fromHttpStatus(500, deployment.redactSecrets(body), Optional.empty()));
            return;
        }
        if (!started) {
            started = true;
            emit(new MessageEvent.MessageStart(new MessageResponse(
                    OpenAiChatAnswers.messageId(chunk.path("id").asText("")),
                    request.model(),
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    Usage.zero(),
                    RawJson.empty())));
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        JsonNode content = delta.path("content");
        if (content.isTextual() && !content.textValue().isEmpty()) {
            if (openBlock < 0 || !openIsText) {
                open(true, new ContentBlock.Text("", RawJson.empty()));
            }
            emit(new MessageEvent.BlockDelta(openBlock, new MessageEvent.Delta.Text(content.textValue())));
        }
        for (JsonNode call : delta.path("tool_calls")) {
            if (!toolCall(call)) {
                return;
            }
        }
        if (choice.path("finish_reason").isTextual()) {
            closeOpenBlock();
            stop = Optional.of(OpenAiChatAnswers.stopReason(choice, request));
        }
        if (chunk.path("usage").isObject()) {
            usage = OpenAiChatAnswers.usage(chunk.path("usage"));
        }
    }

    /** @return false when the stream broke on it */
    private boolean toolCall(JsonNode call) {
        int chatIndex = call.path("index").asInt(toolBlocks.size());
        Integer block = toolBlocks.get(chatIndex);
        if (block == null) {
            String name = call.path("function").path("name").asText("");
            if (name.isBlank()) {
                broke(new ProviderFailure.MalformedReply(200, "a tool call began without a function name"));
                return false;
            }
            open(
                    false,
                    new ContentBlock.ToolUse(
                            OpenAiChatAnswers.toolId(call.path("id").asText("")),
                            name,
                            RawJson.empty(),
                            RawJson.empty()));
            toolBlocks.put(chatIndex, openBlock);
            block = openBlock;
        } else if (block != openBlock) {
            // Messages blocks come one after another; a fragment for a call already closed has nowhere to go.
            broke(new ProviderFailure.MalformedReply(200, "a tool call's arguments continued after another block"));
            return false;
        }
        String fragment = call.path("function").path("arguments").asText("");
        if (!fragment.isEmpty()) {
            emit(new MessageEvent.BlockDelta(block, new MessageEvent.Delta.InputJson(fragment)));
        }
        return true;
    }

    private void open(boolean text, ContentBlock block) {
        closeOpenBlock();
        openBlock = nextIndex++;
        openIsText = text;
        emit(new MessageEvent.BlockStart(openBlock, block));
    }

    private void closeOpenBlock() {
        if (openBlock >= 0) {
            emit(new MessageEvent.BlockStop(openBlock));
            openBlock = -1;
        }
    }

    /** The body ended or said {@code [DONE]}: whole if a finish reason came, else cut. */
    private void ended() {
        finished = true;
        if (stop.isEmpty()) {
            ready.add(new StreamStep.Broken(new ProviderFailure.ConnectionFailed(
                    started
                            ? "the stream ended before its finish_reason"
                            : "the stream ended before its first chunk")));
            return;
        }
        closeOpenBlock();
        emit(new MessageEvent.MessageDelta(
                Optional.of(stop.get().reason()), stop.get().sequence(), usage));
        emit(new MessageEvent.MessageStop());
    }

    private void broke(ProviderFailure failure) {
        finished = true;
        ready.add(new StreamStep.Broken(failure));
    }

    private void emit(MessageEvent event) {
        ready.add(new StreamStep.Event(event));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        finished = true;
        try {
            connection.close();
        } catch (Exception e) {
            // Closing a finished or broken upstream connection has nothing left to report.
        }
    }
}
