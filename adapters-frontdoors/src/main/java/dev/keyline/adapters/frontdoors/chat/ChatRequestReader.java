package dev.keyline.adapters.frontdoors.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.adapters.wire.WireFormatException;
import dev.keyline.domain.message.MessagesRequest;
import java.util.Set;

/**
 * Reads an OpenAI chat completions request as a Messages request: system and developer messages as the system
 * prompt, tool calls as {@code tool_use} blocks, {@code tool} messages as {@code tool_result} blocks of one user
 * turn, functions as client tools, {@code web_search_options} as Anthropic's web search tool (which the gateway runs
 * for deployments that cannot). The Messages form is then read by the Messages codec, so it is validated the same
 * way. What Messages cannot express is refused with a message that says what.
 */
final class ChatRequestReader {

    /** Without {@code max_tokens}, chat servers answer up to the model's limit; Messages needs a number. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    /** Members that change nothing for a Messages model when left out (defaults OpenAI SDKs send). */
    private static final Set<String> IGNORED = Set.of(
            "seed",
            "store",
            "service_tier",
            "metadata",
            "modalities",
            "reasoning_effort",
            "prompt_cache_key",
            "safety_identifier",
            "verbosity");

    private final ObjectMapper mapper;
    private final MessagesRequestCodec codec;

    ChatRequestReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.codec = new MessagesRequestCodec(mapper);
    }

    /** The request, and whether a stream should end with a usage chunk. */
    record Read(MessagesRequest request, boolean includeUsage) {}

    Read read(byte[] body) {
        // Parsed as strictly as a Messages body (no member twice, no lone surrogate): the tree built from it is
        // then read without being written and parsed again.
        JsonNode chat = codec.parse(body);
        if (chat == null || !chat.isObject()) {
            throw new WireFormatException("", "the body must be a JSON object");
        }
        ObjectNode messages = mapper.createObjectNode();
        ArrayNode turns = messages.putArray("messages");
        StringBuilder system = new StringBuilder();
        var fields = chat.properties().iterator();
        while (fields.hasNext()) {
            var field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case "model" -> messages.set("model", value);
                case "max_tokens", "max_completion_tokens" -> messages.set("max_tokens", value);
                case "messages" -> turns(value, turns, system);
                case "tools" -> messages.set("tools", tools(value));
                case "tool_choice" -> messages.set("tool_choice", toolChoice(value));
                case "parallel_tool_calls", "stream_options" -> {
                    // read with tool_choice and stream
                }
                case "stop" ->
                    messages.set(
                            "stop_sequences",
                            value.isTextual() ? mapper.createArrayNode().add(value) : value);
                case "temperature", "top_p", "stream" -> messages.set(name, value);
                case "user" -> messages.putObject("metadata").set("user_id", value);
                case "web_search_options" -> {
                    // becomes a tool below, beside the functions
                }
                case "n" -> {
                    if (value.asInt(1) != 1) {
                        throw new WireFormatException("n", "only one choice per request is supported");
                    }
                }
                case "frequency_penalty", "presence_penalty" -> {
                    if (value.asDouble(0) != 0) {
                        throw new WireFormatException(name, "is not supported by Messages models");
                    }
                }
                default -> {
                    if (!IGNORED.contains(name)) {
                        throw new WireFormatException(name, "is not supported on this gateway's chat completions");
                    }
                }
            }
        }
        if (!messages.has("max_tokens")) {
            messages.put("max_tokens", DEFAULT_MAX_TOKENS);
        }
        if (!system.isEmpty()) {
            messages.put("system", system.toString());
        }
        if (chat.has("web_search_options")) {
            ArrayNode tools = messages.has("tools") ? (ArrayNode) messages.get("tools") : messages.putArray("tools");
            tools.addObject().put("type", "web_search_20250305").put("name", "web_search");
        }
        if (chat.path("parallel_tool_calls").isBoolean()
                && !chat.path("parallel_tool_calls").asBoolean()
                && messages.has("tools")) {
            ObjectNode choice = messages.has("tool_choice")
                    ? (ObjectNode) messages.get("tool_choice")
                    : messages.putObject("tool_choice").put("type", "auto");
            choice.put("disable_parallel_tool_use", true);
        }
        MessagesRequest request = codec.read(messages);
        return new Read(
                request, chat.path("stream_options").path("include_usage").asBoolean(false));
    }

    private void turns(JsonNode chatMessages, ArrayNode turns, StringBuilder system) {
        if (!chatMessages.isArray()) {
            throw new WireFormatException("messages", "must be an array");
        }
        ArrayNode pendingUser = null;
        for (int i = 0; i < chatMessages.size(); i++) {
            JsonNode message = chatMessages.get(i);
            String where = "messages." + i;
            String role = message.path("role").asText("");
            switch (role) {
                case "system", "developer" -> {
                    if (!system.isEmpty()) {
                        system.append("\n\n");
                    }
                    system.append(text(message.path("content"), where));
                }
                case "user" -> {
                    if (pendingUser == null) {
                        pendingUser = turns.addObject().put("role", "user").putArray("content");
                    }
                    userContent(message.path("content"), pendingUser, where);
                }
                case "tool" -> {
                    if (pendingUser == null) {
                        pendingUser = turns.addObject().put("role", "user").putArray("content");
                    }
                    pendingUser
                            .addObject()
                            .put("type", "tool_result")
                            .put("tool_use_id", message.path("tool_call_id").asText(""))
                            .put("content", text(message.path("content"), where));
                }
                case "assistant" -> {
                    pendingUser = null;
                    ArrayNode content =
                            turns.addObject().put("role", "assistant").putArray("content");
                    String text = text(message.path("content"), where);
                    if (!text.isEmpty()) {
                        content.addObject().put("type", "text").put("text", text);
                    }
                    for (JsonNode call : message.path("tool_calls")) {
                        ObjectNode use = content.addObject()
                                .put("type", "tool_use")
                                .put("id", call.path("id").asText(""))
                                .put("name", call.path("function").path("name").asText(""));
                        use.set(
                                "input",
                                arguments(
                                        call.path("function").path("arguments").asText("")));
                    }
                }
                default -> throw new WireFormatException(where + ".role", "unknown role '" + role + "'");
            }
        }
    }

    private void userContent(JsonNode content, ArrayNode blocks, String where) {
        if (content.isTextual()) {
            blocks.addObject().put("type", "text").put("text", content.textValue());
            return;
        }
        for (int p = 0; p < content.size(); p++) {
            JsonNode part = content.get(p);
            switch (part.path("type").asText("")) {
                case "text" ->
                    blocks.addObject()
                            .put("type", "text")
                            .put("text", part.path("text").asText(""));
                case "image_url" ->
                    blocks.add(image(part.path("image_url").path("url").asText(""), where));
                default ->
                    throw new WireFormatException(
                            where + ".content." + p, "a '" + part.path("type").asText() + "' part is not supported");
            }
        }
    }

    private ObjectNode image(String url, String where) {
        ObjectNode image = mapper.createObjectNode().put("type", "image");
        ObjectNode source = image.putObject("source");
        if (url.startsWith("data:") && url.contains(";base64,")) {
            source.put("type", "base64")
                    .put("media_type", url.substring(5, url.indexOf(';')))
                    .put("data", url.substring(url.indexOf(";base64,") + 8));
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source.put("type", "url").put("url", url);
        } else {
            throw new WireFormatException(where, "an image_url must be a data: or http(s) URL");
        }
        return image;
    }

    private static String text(JsonNode content, String where) {
        if (content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (!part.path("type").asText().equals("text")) {
                throw new WireFormatException(where + ".content", "only text parts are supported here");
            }
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    private JsonNode arguments(String json) {
        if (json.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode parsed = codec.parse(json);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (WireFormatException e) {
            // refused below
        }
        throw new WireFormatException("messages", "a tool call's arguments must be a JSON object");
    }

    private ArrayNode tools(JsonNode chatTools) {
        ArrayNode tools = mapper.createArrayNode();
        for (int i = 0; i < chatTools.size(); i++) {
            JsonNode tool = chatTools.get(i);
            if (!tool.path("type").asText("function").equals("function")) {
                throw new WireFormatException("tools." + i, "only function tools are supported");
            }
            JsonNode function = tool.path("function");
            ObjectNode definition =
                    tools.addObject().put("name", function.path("name").asText(""));
            if (function.path("description").isTextual()) {
                definition.put("description", function.path("description").asText());
            }
            definition.set(
                    "input_schema",
                    function.path("parameters").isObject()
                            ? function.path("parameters")
                            : mapper.createObjectNode().put("type", "object"));
        }
        return tools;
    }

    private ObjectNode toolChoice(JsonNode choice) {
        ObjectNode anthropic = mapper.createObjectNode();
        if (choice.isTextual()) {
            switch (choice.textValue()) {
                case "auto" -> anthropic.put("type", "auto");
                case "required" -> anthropic.put("type", "any");
                case "none" -> anthropic.put("type", "none");
                default -> throw new WireFormatException("tool_choice", "unknown value '" + choice.textValue() + "'");
            }
        } else {
            anthropic
                    .put("type", "tool")
                    .put("name", choice.path("function").path("name").asText(""));
        }
        return anthropic;
    }
}
