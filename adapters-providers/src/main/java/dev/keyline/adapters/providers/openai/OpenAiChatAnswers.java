package dev.keyline.adapters.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.AnthropicErrorBody;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Usage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads chat completions answers as Messages: the choice's text and tool calls as blocks, {@code finish_reason} as
 * the stop reason, the token counts as usage, an Anthropic message id, and the model the client asked for. Also
 * rewrites an OpenAI error body in the Anthropic shape, keeping the upstream's words.
 */
final class OpenAiChatAnswers {

    private static final System.Logger LOG = System.getLogger(OpenAiChatAnswers.class.getName());

    private final ObjectMapper mapper;

    OpenAiChatAnswers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param body    the upstream's answer
     * @param request the client's request (its model name and stop sequences)
     * @throws IOException when the body is not a chat completion
     */
    MessageResponse read(byte[] body, MessagesRequest request) throws IOException {
        JsonNode root = mapper.readTree(body);
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        if (choice == null || !choice.isObject() || !choice.path("message").isObject()) {
            throw new IOException("no choices[0].message");
        }
        JsonNode message = choice.path("message");
        List<ContentBlock> blocks = new ArrayList<>();
        String text = text(message.path("content"));
        if (!text.isEmpty()) {
            blocks.add(ContentBlock.Text.of(text));
        }
        for (JsonNode call : message.path("tool_calls")) {
            blocks.add(new ContentBlock.ToolUse(
                    toolId(call.path("id").asText("")),
                    call.path("function").path("name").asText("tool"),
                    arguments(call.path("function").path("arguments").asText("")),
                    RawJson.empty()));
        }
        StopReason stop = stopReason(choice, request);
        return new MessageResponse(
                messageId(root.path("id").asText("")),
                request.model(),
                blocks,
                Optional.of(stop.reason()),
                stop.sequence(),
                usage(root.path("usage")),
                RawJson.empty());
    }

    /** A stop reason and, for {@code stop_sequence}, the sequence. */
    record StopReason(String reason, Optional<String> sequence) {}

    /** {@code finish_reason} as a Messages stop reason; vLLM names the stop string it matched in {@code stop_reason}. */
    static StopReason stopReason(JsonNode choice, MessagesRequest request) {
        String finish = choice.path("finish_reason").asText("stop");
        return switch (finish) {
            case "length" -> new StopReason("max_tokens", Optional.empty());
            case "tool_calls", "function_call" -> new StopReason("tool_use", Optional.empty());
            case "content_filter" -> new StopReason("refusal", Optional.empty());
            default -> {
                JsonNode matched = choice.path("stop_reason");
                Object sequences = request.extra().get("stop_sequences").orElse(List.of());
                yield matched.isTextual() && sequences instanceof List<?> list && list.contains(matched.textValue())
                        ? new StopReason("stop_sequence", Optional.of(matched.textValue()))
                        : new StopReason("end_turn", Optional.empty());
            }
        };
    }

    /** Chat counts cached prompt tokens inside {@code prompt_tokens}; Messages counts them apart. */
    static Usage usage(JsonNode usage) {
        long prompt = usage.path("prompt_tokens").asLong(0);
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        return new Usage(
                Math.max(0, prompt - cached),
                usage.path("completion_tokens").asLong(0),
                0,
                Math.min(cached, prompt),
                0,
                0,
                RawJson.empty());
    }

    /** @return the arguments as an object; a model's broken JSON becomes {@code {}} and a warning */
    RawJson arguments(String json) {
        if (json.isBlank()) {
            return RawJson.empty();
        }
        try {
            JsonNode parsed = mapper.readTree(json);
            if (parsed != null && parsed.isObject()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = mapper.convertValue(parsed, LinkedHashMap.class);
                return new RawJson(fields);
            }
        } catch (IOException e) {
            // fall through to the warning
        }
        LOG.log(Level.WARNING, "a tool call's arguments were not a JSON object; passed on as {}");
        return RawJson.empty();
    }

    static String messageId(String chatId) {
        String tail = chatId.replaceFirst("^chatcmpl-", "").replaceAll("[^A-Za-z0-9_-]", "");
        return "msg_" + (tail.isEmpty() ? UUID.randomUUID().toString().replace("-", "") : tail);
    }

    static String toolId(String chatId) {
        return chatId.isBlank() ? "toolu_" + UUID.randomUUID().toString().replace("-", "") : chatId;
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("type").asText().equals("text")) {
                text.append(part.path("text").asText(""));
            }
        }
        return text.toString();
    }

    /**
     * @return the upstream's error in the Anthropic shape, its message kept (an OpenAI {@code code} such as
     *         {@code context_length_exceeded} is named in it, so the router sees what the refusal was)
     */
    String anthropicError(int status, String body) {
        String message = body.strip();
        try {
            JsonNode root = mapper.readTree(body);
            if (root != null
                    && root.path("type").asText().equals("error")
                    && root.path("error").isObject()) {
                return body; // already Anthropic's shape
            }
            JsonNode error = root == null ? null : root.path("error");
            if (error != null && error.isObject()) {
                message = error.path("message").asText(message);
                String code = error.path("code").asText("");
                if (!code.isBlank() && !message.contains(code)) {
                    message = message + " (" + code + ")";
                }
            } else if (error != null && error.isTextual()) {
                message = error.textValue();
            }
        } catch (IOException e) {
            // not JSON: its text is the message
        }
        return new String(
                AnthropicErrorBody.of(
                        AnthropicErrorBody.typeFor(status), message.isEmpty() ? "HTTP " + status : message),
                StandardCharsets.UTF_8);
    }
}
