package dev.keyline.adapters.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.deployment.Continuation;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.ToolDefinition;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a Messages request as an OpenAI chat completions request: the system prompt as the first message, each
 * turn's blocks as chat messages (tool calls on the assistant message, each tool result as a {@code tool} message
 * before the user's text of that turn), tools as functions, and the sampling settings under their chat names.
 * What chat completions cannot express is refused ({@link UntranslatableRequest}); only settings that change no
 * answer's meaning for a model without them (thinking budgets, cache hints, context management) are left out, each
 * with a debug line.
 */
final class OpenAiChatRequests {

    private static final System.Logger LOG = System.getLogger(OpenAiChatRequests.class.getName());

    /** Top-level members that ask for something these models do not have; dropped, the answer still stands. */
    private static final Set<String> ADVISORY = Set.of(
            "thinking",
            "context_management",
            "output_config",
            "service_tier",
            "cache_control",
            "container",
            "mcp_servers",
            "betas");

    private final ObjectMapper mapper;

    OpenAiChatRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] write(Deployment deployment, MessagesRequest request, boolean stream) throws UntranslatableRequest {
        ObjectNode chat = mapper.createObjectNode();
        chat.put("model", deployment.providerModel());
        ArrayNode messages = chat.putArray("messages");
        Optional<String> system = system(request.extra().get("system").orElse(null));
        system.ifPresent(text -> messages.addObject().put("role", "system").put("content", text));
        for (Message message : request.messages()) {
            if (message.role().equals(Role.USER)) {
                userTurn(message.content(), messages);
            } else if (message.role().equals(Role.ASSISTANT)) {
                assistantTurn(message.content(), messages);
            } else if (message.role().wireName().equals("system")) {
                // Claude Code sends system messages between turns; chat completions has the same role.
                messages.addObject().put("role", "system").put("content", plainText(message.content()));
            } else {
                throw new UntranslatableRequest("a message with role '" + message.role() + "' cannot be expressed");
            }
        }
        chat.put("max_tokens", request.maxTokens());
        if (!request.tools().isEmpty()) {
            ArrayNode tools = chat.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                tools.add(function(tool));
            }
        }
        Optional<RawJson> choice = request.toolChoice();
        if (choice.isPresent()) {
            toolChoice(choice.get(), chat);
        }
        for (Map.Entry<String, Object> member : request.extra().fields().entrySet()) {
            setting(member.getKey(), member.getValue(), chat);
        }
        if (deployment.routing().continuation() == Continuation.CONTINUE_FINAL_MESSAGE
                && request.messages().getLast().role().equals(Role.ASSISTANT)) {
            // vLLM's fields: carry on the final assistant message instead of opening a new one after it.
            chat.put("continue_final_message", true);
            chat.put("add_generation_prompt", false);
        }
        chat.put("stream", stream);
        if (stream) {
            chat.putObject("stream_options").put("include_usage", true);
        }
        try {
            return mapper.writeValueAsBytes(chat);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a chat request tree always serialises", e);
        }
    }

    private void setting(String name, Object value, ObjectNode chat) throws UntranslatableRequest {
        switch (name) {
            case "system" -> {
                // written as the first message
            }
            case "temperature", "top_p", "top_k" -> chat.set(name, mapper.valueToTree(value));
            case "stop_sequences" -> chat.set("stop", mapper.valueToTree(value));
            case "metadata" -> {
                if (value instanceof Map<?, ?> metadata && metadata.get("user_id") instanceof String user) {
                    chat.put("user", user);
                }
            }
            default -> {
                if (ADVISORY.contains(name)) {
                    LOG.log(Level.DEBUG, "''{0}'' has no chat completions equivalent; left out", name);
                } else {
                    throw new UntranslatableRequest(
                            "'" + name + "' cannot be expressed for an OpenAI-compatible deployment");
                }
            }
        }
    }

    private Optional<String> system(Object system) throws UntranslatableRequest {
        if (system == null) {
            return Optional.empty();
        }
        if (system instanceof String text) {
            return Optional.of(text);
        }
        if (system instanceof List<?> blocks) {
            StringBuilder text = new StringBuilder();
            for (Object block : blocks) {
                if (!(block instanceof Map<?, ?> map) || !"text".equals(map.get("type"))) {
                    throw new UntranslatableRequest("system blocks other than text cannot be expressed");
                }
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(map.get("text"));
            }
            return Optional.of(text.toString());
        }
        throw new UntranslatableRequest("'system' must be a string or text blocks");
    }

    private void userTurn(List<ContentBlock> blocks, ArrayNode messages) throws UntranslatableRequest {
        // Tool results answer the previous assistant message's calls, so they come before the user's own words.
        List<ObjectNode> parts = new ArrayList<>();
        for (ContentBlock block : blocks) {
            switch (block) {
                case ContentBlock.ToolResult result -> messages.add(toolMessage(result));
                case ContentBlock.Text text -> parts.add(textPart(text.text()));
                case ContentBlock.Image image -> parts.add(imagePart(image.source()));
                case ContentBlock.Thinking thinking -> dropThinking();
                case ContentBlock.RedactedThinking redacted -> dropThinking();
                case ContentBlock.ToolUse use -> throw new UntranslatableRequest("a tool_use block in a user turn");
                case ContentBlock.ServerToolUse use -> throw serverBlock(use.type());
                case ContentBlock.WebSearchToolResult result -> throw serverBlock(result.type());
                case ContentBlock.Unknown unknown -> throw unknownBlock(unknown.type());
            }
        }
        if (!parts.isEmpty()) {
            ObjectNode user = messages.addObject().put("role", "user");
            if (parts.size() == 1 && parts.getFirst().path("type").asText().equals("text")) {
                user.put("content", parts.getFirst().path("text").asText());
            } else {
                user.putArray("content").addAll(parts);
            }
        }
    }

    private void assistantTurn(List<ContentBlock> blocks, ArrayNode messages) throws UntranslatableRequest {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = mapper.createArrayNode();
        for (ContentBlock block : blocks) {
            switch (block) {
                case ContentBlock.Text part -> text.append(part.text());
                case ContentBlock.ToolUse use -> {
                    ObjectNode call = calls.addObject().put("id", use.id()).put("type", "function");
                    call.putObject("function").put("name", use.name()).put("arguments", json(use.input()));
                }
                case ContentBlock.Thinking thinking -> dropThinking();
                case ContentBlock.RedactedThinking redacted -> dropThinking();
                case ContentBlock.Image image -> throw new UntranslatableRequest("an image in an assistant turn");
                case ContentBlock.ToolResult result ->
                    throw new UntranslatableRequest("a tool_result block in an assistant turn");
                case ContentBlock.ServerToolUse use -> throw serverBlock(use.type());
                case ContentBlock.WebSearchToolResult result -> throw serverBlock(result.type());
                case ContentBlock.Unknown unknown -> throw unknownBlock(unknown.type());
            }
        }
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        if (!text.isEmpty()) {
            assistant.put("content", text.toString());
        } else {
            assistant.putNull("content");
        }
        if (!calls.isEmpty()) {
            assistant.set("tool_calls", calls);
        }
    }

    private String json(RawJson object) {
        try {
            return mapper.writeValueAsString(object.fields());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("parsed JSON always serialises", e);
        }
    }

    private ObjectNode toolMessage(ContentBlock.ToolResult result) throws UntranslatableRequest {
        String text = switch (result.content()) {
            case ContentBlock.ToolResultContent.Text plain -> plain.text();
            case ContentBlock.ToolResultContent.Blocks blocks -> {
                StringBuilder joined = new StringBuilder();
                for (ContentBlock block : blocks.blocks()) {
                    if (!joined.isEmpty()) {
                        joined.append('\n');
                    }
                    joined.append(resultText(block));
                }
                yield joined.toString();
            }
        };
        boolean error = Boolean.TRUE.equals(result.extra().get("is_error").orElse(false));
        return mapper.createObjectNode()
                .put("role", "tool")
                .put("tool_call_id", result.toolUseId())
                .put("content", error ? "Error: " + text : text);
    }

    /**
     * A tool result's block as text: text as it is; a {@code tool_reference} (Claude Code's tool search loading a
     * deferred tool, which a chat model has among its functions already) as the sentence that says so.
     */
    private static String resultText(ContentBlock block) throws UntranslatableRequest {
        if (block instanceof ContentBlock.Text part) {
            return part.text();
        }
        if (block instanceof ContentBlock.Unknown unknown && unknown.type().equals("tool_reference")) {
            return "Tool " + unknown.raw().get("tool_name").orElse("") + " loaded.";
        }
        throw new UntranslatableRequest("a tool_result holding a " + block.type() + " block cannot be expressed");
    }

    private static String plainText(List<ContentBlock> blocks) throws UntranslatableRequest {
        StringBuilder text = new StringBuilder();
        for (ContentBlock block : blocks) {
            if (!(block instanceof ContentBlock.Text part)) {
                throw new UntranslatableRequest("a system message holding a " + block.type() + " block");
            }
            text.append(part.text());
        }
        return text.toString();
    }

    private ObjectNode textPart(String text) {
        return mapper.createObjectNode().put("type", "text").put("text", text);
    }

    private ObjectNode imagePart(RawJson source) throws UntranslatableRequest {
        String kind = source.get("type").map(String::valueOf).orElse("");
        String url = switch (kind) {
            case "base64" ->
                "data:" + source.get("media_type").orElse("image/png") + ";base64,"
                        + source.get("data").orElse("");
            case "url" -> String.valueOf(source.get("url").orElse(""));
            default -> throw new UntranslatableRequest("an image source of type '" + kind + "' cannot be expressed");
        };
        ObjectNode part = mapper.createObjectNode().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    private ObjectNode function(ToolDefinition tool) throws UntranslatableRequest {
        return switch (tool) {
            case ToolDefinition.Client client -> {
                ObjectNode definition = mapper.createObjectNode().put("type", "function");
                ObjectNode function = definition.putObject("function").put("name", client.name());
                client.description().ifPresent(d -> function.put("description", d));
                function.set(
                        "parameters", mapper.valueToTree(client.inputSchema().fields()));
                yield definition;
            }
            case ToolDefinition.WebSearch search ->
                throw new UntranslatableRequest("this deployment cannot run the server tool '" + search.name()
                        + "'; switch on websearch_interception for it so the gateway runs the searches");
            case ToolDefinition.OtherServer other ->
                throw new UntranslatableRequest(
                        "this deployment cannot run the server tool '" + other.name() + "' (" + other.type() + ")");
        };
    }

    private void toolChoice(RawJson choice, ObjectNode chat) throws UntranslatableRequest {
        String type = choice.get("type").map(String::valueOf).orElse("auto");
        switch (type) {
            case "auto" -> chat.put("tool_choice", "auto");
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" -> {
                ObjectNode named = chat.putObject("tool_choice").put("type", "function");
                named.putObject("function")
                        .put("name", String.valueOf(choice.get("name").orElse("")));
            }
            default -> throw new UntranslatableRequest("tool_choice '" + type + "' cannot be expressed");
        }
        if (Boolean.TRUE.equals(choice.get("disable_parallel_tool_use").orElse(false))) {
            chat.put("parallel_tool_calls", false);
        }
    }

    private static void dropThinking() {
        LOG.log(Level.DEBUG, "a thinking block from the history is left out: chat completions has no place for it");
    }

    private static UntranslatableRequest serverBlock(String type) {
        return new UntranslatableRequest("a " + type + " block cannot be sent to an OpenAI-compatible deployment");
    }

    private static UntranslatableRequest unknownBlock(String type) {
        return new UntranslatableRequest(
                "a '" + type + "' block cannot be expressed for an OpenAI-compatible" + " deployment");
    }
}
