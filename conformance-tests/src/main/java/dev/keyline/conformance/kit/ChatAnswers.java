package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat completions answer as an OpenAI SDK user reads it, in one form for a JSON answer and a folded stream alike:
 * {@code {"content", "tool_calls": [{"name", "arguments"}], "finish_reason", "usage"}}. Folding follows the SDK:
 * content deltas appended, tool calls gathered by index (name from the first fragment, arguments concatenated),
 * the last finish reason, usage from the chunk that carries it.
 */
final class ChatAnswers {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatAnswers() {}

    static JsonNode read(String body) throws IOException {
        JsonNode root = MAPPER.readTree(body);
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<String[]> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(new String[] {
                call.path("function").path("name").asText(),
                call.path("function").path("arguments").asText()
            });
        }
        return normal(
                message.path("content").asText(""),
                calls,
                choice.path("finish_reason").asText(null),
                root.path("usage"));
    }

    /** @throws IllegalArgumentException when the stream does not end with {@code data: [DONE]} */
    static JsonNode fold(String sse) throws IOException {
        StringBuilder content = new StringBuilder();
        List<String[]> calls = new ArrayList<>();
        String finish = null;
        JsonNode usage = MAPPER.createObjectNode();
        boolean done = false;
        for (String line : sse.split("\n")) {
            if (!line.startsWith("data:")) {
                continue;
            }
            String data = line.substring("data:".length()).strip();
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = MAPPER.readTree(data);
            if (chunk.hasNonNull("usage")) {
                usage = chunk.path("usage");
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                content.append(delta.path("content").asText(""));
                for (JsonNode call : delta.path("tool_calls")) {
                    int index = call.path("index").asInt();
                    while (calls.size() <= index) {
                        calls.add(new String[] {"", ""});
                    }
                    String[] gathered = calls.get(index);
                    if (call.path("function").hasNonNull("name")) {
                        gathered[0] = call.path("function").path("name").asText();
                    }
                    gathered[1] += call.path("function").path("arguments").asText("");
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.path("finish_reason").asText();
                }
            }
        }
        if (!done) {
            throw new IllegalArgumentException("the stream ended without data: [DONE]");
        }
        return normal(content.toString(), calls, finish, usage);
    }

    private static JsonNode normal(String content, List<String[]> calls, String finish, JsonNode usage)
            throws IOException {
        ObjectNode answer = MAPPER.createObjectNode().put("content", content);
        ArrayNode toolCalls = answer.putArray("tool_calls");
        for (String[] call : calls) {
            // Arguments are compared as JSON: spacing is the serialiser's business.
            toolCalls
                    .addObject()
                    .put("name", call[0])
                    .set("arguments", call[1].isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(call[1]));
        }
        answer.put("finish_reason", finish);
        ObjectNode counted = answer.putObject("usage");
        counted.put("prompt_tokens", usage.path("prompt_tokens").asInt());
        counted.put("completion_tokens", usage.path("completion_tokens").asInt());
        return answer;
    }
}
