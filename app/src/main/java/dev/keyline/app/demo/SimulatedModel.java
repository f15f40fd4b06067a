package dev.keyline.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a language model, for demos and tests. It is not intelligent and says so: offered a search tool,
 * it searches for the user's question; given search results, it answers by quoting the first one; otherwise it
 * answers that it is a simulator. Like many third-party endpoints it refuses Anthropic's server tools.
 */
public final class SimulatedModel {

    public static final String MODEL_NAME = "keyline-simulator";
    private static final String LABEL = "[simulated model] ";

    private final ObjectMapper mapper;
    private final AtomicLong ids = new AtomicLong();

    public SimulatedModel(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An answer: HTTP status and JSON body. */
    public record Reply(int status, ObjectNode body) {}

    /** @param request a Messages request body */
    public Reply answer(JsonNode request) {
        for (JsonNode tool : request.path("tools")) {
            String type = tool.path("type").asText("custom");
            if (!type.equals("custom")) {
                return error(
                        400,
                        "invalid_request_error",
                        "tools: this endpoint cannot run server tools ('" + type + "'); offer a client tool instead");
            }
        }
        JsonNode messages = request.path("messages");
        JsonNode last =
                messages.isArray() && !messages.isEmpty() ? messages.get(messages.size() - 1) : mapper.nullNode();
        Optional<String> results = toolResultText(last);
        if (results.isPresent()) {
            return message(text(LABEL + quote(results.get())), "end_turn", request);
        }
        Optional<String> searchTool = searchTool(request);
        String question = userText(last);
        if (searchTool.isPresent() && !question.isBlank()) {
            ObjectNode use = mapper.createObjectNode();
            use.put("type", "tool_use")
                    .put("id", "toolu_sim" + ids.incrementAndGet())
                    .put("name", searchTool.get());
            use.putObject("input").put("query", question.length() > 200 ? question.substring(0, 200) : question);
            ArrayNode content = mapper.createArrayNode();
            content.add(text(LABEL + "Let me search the web for that."));
            content.add(use);
            return message(content, "tool_use", request);
        }
        return message(
                text(LABEL + "I am Keyline's simulated model. Offer me the web_search tool and ask a question, "
                        + "and I will search before answering."),
                "end_turn",
                request);
    }

    private Optional<String> searchTool(JsonNode request) {
        for (JsonNode tool : request.path("tools")) {
            String name = tool.path("name").asText();
            if (name.equals("web_search") || name.equals("litellm_web_search")) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> toolResultText(JsonNode message) {
        for (JsonNode block : message.path("content")) {
            if (block.path("type").asText().equals("tool_result")) {
                JsonNode content = block.path("content");
                if (content.isTextual()) {
                    return Optional.of(content.asText());
                }
                StringBuilder text = new StringBuilder();
                content.forEach(part -> text.append(part.path("text").asText()));
                return Optional.of(text.toString());
            }
        }
        return Optional.empty();
    }

    private static String userText(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return content.asText().strip();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(block -> {
            if (block.path("type").asText().equals("text")) {
                text.append(block.path("text").asText());
            }
        });
        return text.toString().strip();
    }

    /** Quotes the first result of a Keyline search text ("Title: …\nURL: …\nSnippet: …"). */
    private static String quote(String results) {
        String title = field(results, "Title");
        String url = field(results, "URL");
        String snippet = field(results, "Snippet");
        if (url.isEmpty()) {
            return "The search found nothing I can quote.";
        }
        return "According to \"" + title + "\" (" + url + "): " + snippet;
    }

    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ": ")) {
                return line.substring(name.length() + 2).strip();
            }
        }
        return "";
    }

    private ObjectNode text(String text) {
        return mapper.createObjectNode().put("type", "text").put("text", text);
    }

    private Reply message(JsonNode content, String stopReason, JsonNode request) {
        ObjectNode body = mapper.createObjectNode();
        body.put("id", "msg_sim" + ids.incrementAndGet())
                .put("type", "message")
                .put("role", "assistant")
                .put("model", request.path("model").asText(MODEL_NAME));
        body.set(
                "content",
                content.isArray() ? content : mapper.createArrayNode().add(content));
        body.put("stop_reason", stopReason).putNull("stop_sequence");
        int input = request.toString().length() / 4;
        int output = content.toString().length() / 4;
        body.putObject("usage").put("input_tokens", input).put("output_tokens", output);
        return new Reply(200, body);
    }

    private Reply error(int status, String type, String message) {
        ObjectNode body = mapper.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        return new Reply(status, body);
    }
}
