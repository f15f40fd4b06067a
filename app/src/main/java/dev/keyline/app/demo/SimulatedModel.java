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
 *
 * <p>It also plays Claude Code's turn: asked to search, it loads Claude Code's deferred {@code WebSearch} tool
 * through {@code ToolSearch}, calls it, and answers from what it returns; Claude Code's WebSearch then sends its own
 * request with Anthropic's {@code web_search} tool, which Keyline runs. So {@code claude -p "search the web for …"}
 * against the demo shows the whole loop, offline.
 */
public final class SimulatedModel {

    public static final String MODEL_NAME = "keyline-simulator";
    private static final String LABEL = "[simulated model] ";
    private static final String SEARCHING = "Let me search the web for that.";

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
        Optional<Reply> claudeCode = claudeCodeTurn(request, messages, last);
        if (claudeCode.isPresent()) {
            return claudeCode.get();
        }
        Optional<String> results = toolResultText(last);
        if (results.isPresent()) {
            return message(text(LABEL + quote(results.get())), "end_turn", request);
        }
        Optional<String> searchTool = searchTool(request);
        String question = searchQuery(userText(last));
        if (searchTool.isPresent() && !question.isBlank()) {
            return toolUse(request, SEARCHING, searchTool.get(), "query", question);
        }
        return message(
                text(LABEL + "I am Keyline's simulated model. Offer me the web_search tool and ask a question, "
                        + "and I will search before answering."),
                "end_turn",
                request);
    }

    /**
     * Claude Code's main conversation: its web search is a deferred client tool, {@code WebSearch}, loaded by name
     * through {@code ToolSearch}; its result comes back as a {@code tool_result} Claude Code wrote.
     */
    private Optional<Reply> claudeCodeTurn(JsonNode request, JsonNode messages, JsonNode last) {
        boolean hasToolSearch = hasTool(request, "ToolSearch");
        boolean hasWebSearch = hasTool(request, "WebSearch");
        if (!hasToolSearch && !hasWebSearch) {
            return Optional.empty();
        }
        // Claude Code may end the list with a role "system" message (its per-turn control); the turn is the user's.
        JsonNode lastUser = lastUserMessage(messages);
        Optional<String> answered = answeredTool(messages, lastUser);
        String question = lastQuestion(messages);
        if (answered.isEmpty()) {
            if (!question.toLowerCase(Locale.ROOT).contains("search")) {
                return Optional.empty();
            }
            return Optional.of(
                    hasWebSearch
                            ? toolUse(
                                    request,
                                    "Let me search the web for that.",
                                    "WebSearch",
                                    "query",
                                    searchQuery(question))
                            : toolUse(
                                    request,
                                    "I need the web search tool first.",
                                    "ToolSearch",
                                    "query",
                                    "select:WebSearch"));
        }
        return switch (answered.get()) {
            case "ToolSearch" -> Optional.of(toolUse(request, SEARCHING, "WebSearch", "query", searchQuery(question)));
            case "WebSearch" ->
                Optional.of(message(
                        text(LABEL + "Here is what the web search found. "
                                + toolResultText(lastUser)
                                        .map(SimulatedModel::claudeCodeSummary)
                                        .orElse("")),
                        "end_turn",
                        request));
            default -> Optional.empty();
        };
    }

    private Reply toolUse(JsonNode request, String preface, String tool, String field, String value) {
        ObjectNode use = mapper.createObjectNode();
        use.put("type", "tool_use")
                .put("id", "toolu_sim" + ids.incrementAndGet())
                .put("name", tool);
        use.putObject("input").put(field, value);
        ArrayNode content = mapper.createArrayNode();
        content.add(text(LABEL + preface));
        content.add(use);
        return message(content, "tool_use", request);
    }

    private static boolean hasTool(JsonNode request, String name) {
        for (JsonNode tool : request.path("tools")) {
            if (tool.path("name").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** @return the name of the tool whose result the last message carries, looked up by its id */
    private static Optional<String> answeredTool(JsonNode messages, JsonNode last) {
        for (JsonNode block : last.path("content")) {
            if (block.path("type").asText().equals("tool_result")) {
                String id = block.path("tool_use_id").asText();
                for (JsonNode message : messages) {
                    for (JsonNode part : message.path("content")) {
                        if (part.path("type").asText().equals("tool_use")
                                && part.path("id").asText().equals(id)) {
                            return Optional.of(part.path("name").asText());
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private JsonNode lastUserMessage(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).path("role").asText().equals("user")) {
                return messages.get(i);
            }
        }
        return mapper.nullNode();
    }

    /** @return the newest user text, reminders Claude Code adds left out: the question the turn is about */
    private static String lastQuestion(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!message.path("role").asText().equals("user")) {
                continue;
            }
            JsonNode content = message.path("content");
            StringBuilder text = new StringBuilder(content.isTextual() ? content.asText() : "");
            content.forEach(block -> {
                String part = block.path("text").asText();
                if (block.path("type").asText().equals("text") && !part.startsWith("<system-reminder>")) {
                    text.append(part);
                }
            });
            if (!text.toString().isBlank()) {
                return text.toString().strip();
            }
        }
        return "";
    }

    /** The part of "Perform a web search for the query: …" (Claude Code's sub-request) or "search the web for …" to search. */
    private static String searchQuery(String question) {
        String query = question;
        int marker = query.toLowerCase(Locale.ROOT).indexOf("for the query:");
        if (marker >= 0) {
            query = query.substring(marker + "for the query:".length());
        }
        query = query.strip();
        return query.length() > 200 ? query.substring(0, 200) : query;
    }

    /** The links and summary of Claude Code's WebSearch result ("Web search results for query: …\n\nLinks: […]\n\n…"). */
    private static String claudeCodeSummary(String result) {
        StringBuilder summary = new StringBuilder();
        for (String line : result.split("\n")) {
            String stripped = line.strip();
            if (stripped.isEmpty()
                    || stripped.startsWith("Web search results for query")
                    || stripped.startsWith("Links:")
                    || stripped.startsWith("REMINDER")) {
                continue;
            }
            summary.append(stripped.replace(LABEL, "").replace(SEARCHING, "").strip())
                    .append(' ');
        }
        return summary.toString().strip();
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
