package dev.keyline.adapters.frontdoors.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.Usage;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a Messages answer as a chat completion: the text as the message's content, {@code tool_use} blocks as
 * {@code tool_calls}, the web-search citations of a text as {@code url_citation} annotations over that text, the
 * stop reason as {@code finish_reason}, and the usage with cached input counted in the prompt, as chat counts it.
 * The gateway's own search blocks ({@code server_tool_use}, {@code web_search_tool_result}) have no chat form; their
 * sources reach the client as the annotations.
 */
final class ChatAnswerWriter {

    private final ObjectMapper mapper;
    private final InstantSource clock;

    ChatAnswerWriter(ObjectMapper mapper, InstantSource clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    ObjectNode write(MessageResponse response, String model) {
        ObjectNode completion = head(response.id(), model).put("object", "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode annotations = mapper.createArrayNode();
        ArrayNode calls = mapper.createArrayNode();
        // Adjacent text blocks read as one text (a cited sentence is a block of its own); text that resumes after a
        // search or a tool call starts a new paragraph, as a Messages client shows it.
        boolean interrupted = false;
        for (ContentBlock block : response.content()) {
            if (!(block instanceof ContentBlock.Text) && !text.isEmpty()) {
                interrupted = interrupted
                        || !(block instanceof ContentBlock.Thinking)
                                && !(block instanceof ContentBlock.RedactedThinking);
            }
            switch (block) {
                case ContentBlock.Text part -> {
                    if (interrupted && !part.text().isEmpty()) {
                        if (!Character.isWhitespace(text.charAt(text.length() - 1))) {
                            text.append("\n\n");
                        }
                        interrupted = false;
                    }
                    int start = text.length();
                    text.append(part.text());
                    citations(part)
                            .forEach(citation -> annotations.add(urlCitation(mapper, citation, start, text.length())));
                }
                case ContentBlock.ToolUse use -> {
                    ObjectNode call = calls.addObject().put("id", use.id()).put("type", "function");
                    call.putObject("function")
                            .put("name", use.name())
                            .put(
                                    "arguments",
                                    mapper.valueToTree(use.input().fields()).toString());
                }
                case ContentBlock.Thinking thinking -> {}
                case ContentBlock.RedactedThinking redacted -> {}
                case ContentBlock.ServerToolUse use -> {}
                case ContentBlock.WebSearchToolResult result -> {}
                case ContentBlock.Image image -> {}
                case ContentBlock.ToolResult result -> {}
                case ContentBlock.Unknown unknown -> {}
            }
        }
        if (text.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        message.set("annotations", annotations);
        choice.put("finish_reason", finishReason(response.stopReason()));
        choice.putNull("logprobs");
        completion.set("usage", usage(response.usage()));
        return completion;
    }

    /** @return the start of every chat object of one answer: id, creation time, the client's model */
    ObjectNode head(String messageId, String model) {
        return mapper.createObjectNode()
                .put("id", "chatcmpl-" + messageId.replaceFirst("^msg_", ""))
                .put("created", clock.instant().getEpochSecond())
                .put("model", model);
    }

    static String finishReason(Optional<String> stopReason) {
        return switch (stopReason.orElse("end_turn")) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /** Chat counts cached input in {@code prompt_tokens}; Messages counts it apart. */
    ObjectNode usage(Usage usage) {
        long prompt = usage.inputTokens() + usage.cacheReadInputTokens() + usage.cacheCreationInputTokens();
        ObjectNode chat = mapper.createObjectNode()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", usage.outputTokens())
                .put("total_tokens", prompt + usage.outputTokens());
        chat.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadInputTokens());
        return chat;
    }

    /** @return a web-search citation as OpenAI's annotation over the characters {@code start}..{@code end} */
    static ObjectNode urlCitation(ObjectMapper mapper, Map<String, Object> citation, int start, int end) {
        ObjectNode cited = mapper.createObjectNode().put("type", "url_citation");
        cited.putObject("url_citation")
                .put("url", String.valueOf(citation.getOrDefault("url", "")))
                .put("title", String.valueOf(citation.getOrDefault("title", "")))
                .put("start_index", start)
                .put("end_index", end);
        return cited;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> citations(ContentBlock.Text text) {
        Object citations = text.extra().get("citations").orElse(List.of());
        return citations instanceof List<?> list
                ? list.stream()
                        .filter(Map.class::isInstance)
                        .map(c -> (Map<String, Object>) c)
                        .toList()
                : List.of();
    }
}
