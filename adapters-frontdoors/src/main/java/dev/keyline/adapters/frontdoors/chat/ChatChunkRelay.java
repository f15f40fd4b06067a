package dev.keyline.adapters.frontdoors.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.frontdoors.server.StreamOutcome;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.StreamStep;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a Messages event stream to a chat completions client as it arrives, one chunk per event that has a chat
 * form: the first chunk with the role, text deltas as {@code content}, each {@code tool_use} block as a
 * {@code tool_calls} entry (its index counting tool calls only) with its argument fragments, the stop reason as
 * {@code finish_reason}, the usage in a last chunk when the client asked for it, then {@code [DONE]}. The gateway's
 * own search blocks have no chat form and are not written. A stream that breaks ends with an error chunk, never
 * with {@code [DONE]}.
 *
 * <p>Web-search citations become {@code url_citation} annotations over the text that cites them, as in the JSON
 * answer, sent once and whole in the {@code finish_reason} chunk's delta: the OpenAI SDKs' stream accumulators keep a
 * delta member they do not know (openai-node assigns it to the message; openai-python's {@code accumulate_delta}
 * takes a list that arrives once, and refuses a second one without {@code index}).
 */
final class ChatChunkRelay {

    private final ObjectMapper mapper;
    private final MessageEventCodec codec;
    private final ChatAnswerWriter answers;

    ChatChunkRelay(ObjectMapper mapper, MessageEventCodec codec, ChatAnswerWriter answers) {
        this.mapper = mapper;
        this.codec = codec;
        this.answers = answers;
    }

    StreamOutcome relay(
            EventStream events,
            OutputStream out,
            String model,
            boolean includeUsage,
            Function<ProviderFailure, ObjectNode> error) {
        State state = new State(model, includeUsage);
        try {
            while (true) {
                switch (events.next()) {
                    case StreamStep.Event event -> state.on(codec.typed(event.event()), out);
                    case StreamStep.End end -> {
                        write(out, "[DONE]");
                        return StreamOutcome.COMPLETED;
                    }
                    case StreamStep.Broken broken -> {
                        write(out, error.apply(broken.failure()).toString());
                        return StreamOutcome.UPSTREAM_BROKE;
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return StreamOutcome.CLIENT_LEFT;
        }
    }

    private static void write(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One stream's translation state. */
    private final class State {
        private final String model;
        private final boolean includeUsage;
        /** Messages block index → chat tool call index, for the tool_use blocks only. */
        private final Map<Integer, Integer> toolCalls = new HashMap<>();

        private String id = "msg_keyline";
        private Usage usage = Usage.zero();
        /** The text written so far, in characters, where annotations start and end. */
        private int written;
        /** Messages text block index → where its text starts in what was written. */
        private final Map<Integer, Integer> textStarts = new HashMap<>();
        /** Messages text block index → the citations it has had so far. */
        private final Map<Integer, List<Map<String, Object>>> citations = new HashMap<>();
        /** Every closed block's citations as annotations, sent with the finish reason. */
        private final ArrayNode annotations = mapper.createArrayNode();
        /** The last character of text sent, or 0; and whether a search or tool call came after it. */
        private char lastText;

        private boolean interrupted;

        State(String model, boolean includeUsage) {
            this.model = model;
            this.includeUsage = includeUsage;
        }

        void on(MessageEvent event, OutputStream out) throws IOException {
            switch (event) {
                case MessageEvent.MessageStart start -> {
                    id = start.message().id();
                    usage = start.message().usage();
                    ObjectNode delta =
                            mapper.createObjectNode().put("role", "assistant").put("content", "");
                    chunk(out, delta, null);
                }
                case MessageEvent.BlockStart start -> {
                    // As the JSON answer joins them: text resuming after a search or a tool call is a new paragraph.
                    interrupted = interrupted
                            || lastText != 0
                                    && !(start.block() instanceof ContentBlock.Text)
                                    && !(start.block() instanceof ContentBlock.Thinking)
                                    && !(start.block() instanceof ContentBlock.RedactedThinking);
                    if (start.block() instanceof ContentBlock.ToolUse use) {
                        int index = toolCalls.size();
                        toolCalls.put(start.index(), index);
                        ObjectNode delta = mapper.createObjectNode();
                        ObjectNode call = delta.putArray("tool_calls")
                                .addObject()
                                .put("index", index)
                                .put("id", use.id())
                                .put("type", "function");
                        call.putObject("function").put("name", use.name()).put("arguments", "");
                        chunk(out, delta, null);
                    }
                }
                case MessageEvent.BlockDelta delta -> {
                    switch (delta.delta()) {
                        case MessageEvent.Delta.Text text -> {
                            if (!text.text().isEmpty()) {
                                String content = interrupted && !Character.isWhitespace(lastText)
                                        ? "\n\n" + text.text()
                                        : text.text();
                                interrupted = false;
                                lastText = content.charAt(content.length() - 1);
                                // A cited block's text starts after the paragraph break written before it.
                                textStarts.putIfAbsent(
                                        delta.index(),
                                        written + content.length() - text.text().length());
                                written += content.length();
                                chunk(out, mapper.createObjectNode().put("content", content), null);
                            }
                        }
                        case MessageEvent.Delta.InputJson json -> {
                            Integer index = toolCalls.get(delta.index());
                            if (index != null) {
                                ObjectNode chat = mapper.createObjectNode();
                                chat.putArray("tool_calls")
                                        .addObject()
                                        .put("index", index)
                                        .putObject("function")
                                        .put("arguments", json.partialJson());
                                chunk(out, chat, null);
                            }
                        }
                        case MessageEvent.Delta.Thinking thinking -> {}
                        case MessageEvent.Delta.Signature signature -> {}
                        case MessageEvent.Delta.Citation citation ->
                            citations
                                    .computeIfAbsent(delta.index(), i -> new ArrayList<>())
                                    .add(citation.citation().fields());
                        case MessageEvent.Delta.Other other -> {}
                    }
                }
                case MessageEvent.BlockStop stop -> {
                    int start = textStarts.getOrDefault(stop.index(), written);
                    for (Map<String, Object> cited : citations.getOrDefault(stop.index(), List.of())) {
                        annotations.add(ChatAnswerWriter.urlCitation(mapper, cited, start, written));
                    }
                }
                case MessageEvent.MessageDelta delta -> {
                    Usage last = delta.usage();
                    usage = new Usage(
                            last.inputTokens() > 0 ? last.inputTokens() : usage.inputTokens(),
                            last.outputTokens(),
                            last.cacheCreationInputTokens() > 0
                                    ? last.cacheCreationInputTokens()
                                    : usage.cacheCreationInputTokens(),
                            last.cacheReadInputTokens() > 0
                                    ? last.cacheReadInputTokens()
                                    : usage.cacheReadInputTokens(),
                            0,
                            0,
                            usage.extra());
                    ObjectNode finishing = mapper.createObjectNode();
                    if (!annotations.isEmpty()) {
                        finishing.set("annotations", annotations);
                    }
                    chunk(out, finishing, ChatAnswerWriter.finishReason(delta.stopReason()));
                }
                case MessageEvent.MessageStop stop -> {
                    if (includeUsage) {
                        ObjectNode last = answers.head(id, model).put("object", "chat.completion.chunk");
                        last.putArray("choices");
                        last.set("usage", answers.usage(usage));
                        write(out, last.toString());
                    }
                }
                case MessageEvent.Other other -> {}
            }
        }

        private void chunk(OutputStream out, ObjectNode delta, String finishReason) throws IOException {
            ObjectNode chunk = answers.head(id, model).put("object", "chat.completion.chunk");
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
            write(out, chunk.toString());
        }
    }
}
