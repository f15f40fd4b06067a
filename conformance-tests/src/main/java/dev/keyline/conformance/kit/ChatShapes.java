package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The scripted model's answer as an OpenAI-compatible server (vLLM) would give it: a chat completion, or its chunk
 * stream with the tool calls' arguments in fragments and the usage in a last chunk. The same answer as the
 * Messages one, so the kit judges a chat deployment by the same expectations.
 */
final class ChatShapes {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatShapes() {}

    /** @param message the answer in the Messages shape (text and tool_use blocks) */
    static String completion(ObjectNode message) {
        ObjectNode root = MAPPER.createObjectNode()
                .put("id", "chatcmpl-" + message.path("id").asText());
        root.put("object", "chat.completion").put("model", "kit");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode reply = choice.putObject("message").put("role", "assistant");
        String text = text(message);
        if (text.isEmpty()) {
            reply.putNull("content");
        } else {
            reply.put("content", text);
        }
        ArrayNode calls = MAPPER.createArrayNode();
        for (JsonNode block : message.path("content")) {
            if (block.path("type").asText().equals("tool_use")) {
                ObjectNode call =
                        calls.addObject().put("id", block.path("id").asText()).put("type", "function");
                call.putObject("function")
                        .put("name", block.path("name").asText())
                        .put("arguments", block.path("input").toString());
            }
        }
        if (!calls.isEmpty()) {
            reply.set("tool_calls", calls);
        }
        choice.put("finish_reason", finish(message));
        usage(root, message);
        return root.toString();
    }

    /** @return the answer as chat chunks: text, then each tool call's name and its arguments in two fragments */
    static String chunks(ObjectNode message) {
        StringBuilder sse = new StringBuilder();
        sse.append(chunk(MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
        String text = text(message);
        for (int at = 0; at < text.length(); at += 4) {
            sse.append(chunk(
                    MAPPER.createObjectNode().put("content", text.substring(at, Math.min(text.length(), at + 4))),
                    null));
        }
        int index = 0;
        for (JsonNode block : message.path("content")) {
            if (!block.path("type").asText().equals("tool_use")) {
                continue;
            }
            String arguments = block.path("input").toString();
            int half = arguments.length() / 2;
            ObjectNode first = MAPPER.createObjectNode();
            ObjectNode call = first.putArray("tool_calls").addObject().put("index", index);
            call.put("id", block.path("id").asText()).put("type", "function");
            call.putObject("function")
                    .put("name", block.path("name").asText())
                    .put("arguments", arguments.substring(0, half));
            sse.append(chunk(first, null));
            ObjectNode rest = MAPPER.createObjectNode();
            rest.putArray("tool_calls")
                    .addObject()
                    .put("index", index)
                    .putObject("function")
                    .put("arguments", arguments.substring(half));
            sse.append(chunk(rest, null));
            index++;
        }
        sse.append(chunk(MAPPER.createObjectNode(), finish(message)));
        // OpenAI's usage chunk (stream_options.include_usage), whole: a reader may look for its object and model.
        ObjectNode last = MAPPER.createObjectNode()
                .put("id", "chatcmpl-kit")
                .put("object", "chat.completion.chunk")
                .put("created", 1_767_225_600L)
                .put("model", "kit");
        last.putArray("choices");
        usage(last, message);
        sse.append("data: ").append(last).append("\n\n");
        sse.append("data: [DONE]\n\n");
        return sse.toString();
    }

    /**
     * Judged on the parsed request, as a chat completions server reads it: Anthropic's fields where chat has its own
     * (a tool's {@code input_schema}, {@code tool_use}/{@code tool_result} blocks, server tools, {@code
     * stop_sequences}). Text that merely mentions those words is chat text like any other.
     *
     * @return why a request is not one a chat completions server takes, or null when it is
     */
    static String notChat(JsonNode request) {
        if (request.has("stop_sequences")) {
            return "unexpected Anthropic field stop_sequences";
        }
        for (JsonNode tool : request.path("tools")) {
            if (tool.has("input_schema") || !tool.path("type").asText().equals("function")) {
                return "a tool that is not a function: " + tool;
            }
        }
        for (JsonNode message : request.path("messages")) {
            for (JsonNode part : message.path("content")) {
                String type = part.path("type").asText();
                if (!type.equals("text") && !type.equals("image_url")) {
                    return "a content part of type " + type;
                }
            }
        }
        return null;
    }

    private static String chunk(ObjectNode delta, String finish) {
        ObjectNode chunk = MAPPER.createObjectNode()
                .put("id", "chatcmpl-kit")
                .put("object", "chat.completion.chunk")
                .put("created", 1_767_225_600L)
                .put("model", "kit");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return "data: " + chunk + "\n\n";
    }

    private static String text(ObjectNode message) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            if (block.path("type").asText().equals("text")) {
                text.append(block.path("text").asText());
            }
        }
        return text.toString();
    }

    private static String finish(ObjectNode message) {
        return message.path("stop_reason").asText().equals("tool_use") ? "tool_calls" : "stop";
    }

    private static void usage(ObjectNode root, ObjectNode message) {
        root.putObject("usage")
                .put("prompt_tokens", message.path("usage").path("input_tokens").asInt())
                .put(
                        "completion_tokens",
                        message.path("usage").path("output_tokens").asInt());
    }
}
