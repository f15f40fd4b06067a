package dev.keyline.app.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The model behind the cloud fakes: asked with a {@code web_search} tool and no results yet, it calls the tool; once
 * the body holds a tool result, it answers quoting it. Its answers are Anthropic's JSON, or the same answer as the
 * Anthropic stream events a client folds back into it.
 */
final class ScriptedClaude {

    static final String QUOTE = "Java 25 was released on 16 September 2025";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScriptedClaude() {}

    static JsonNode answer(JsonNode request) {
        boolean searched = request.toString().contains("tool_result");
        boolean canSearch = request.path("tools").toString().contains("web_search");
        ObjectNode message = JSON.createObjectNode();
        message.put("id", "msg_cloud_" + (searched ? 2 : 1))
                .put("type", "message")
                .put("role", "assistant");
        message.put("model", "claude-cloud");
        ObjectNode block = message.putArray("content").addObject();
        if (canSearch && !searched) {
            block.put("type", "tool_use").put("id", "toolu_cloud_1").put("name", "web_search");
            block.putObject("input").put("query", "java 25 release date");
            message.put("stop_reason", "tool_use");
        } else {
            block.put("type", "text").put("text", searched ? QUOTE + "." : "Hello from the cloud.");
            message.put("stop_reason", "end_turn");
        }
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 20).put("output_tokens", 7);
        return message;
    }

    /** @return the answer as the stream events Anthropic would send, each as its JSON */
    static List<String> events(ObjectNode answer) {
        List<String> events = new ArrayList<>();
        ObjectNode start = answer.deepCopy();
        start.putArray("content");
        start.putNull("stop_reason");
        ((ObjectNode) start.get("usage")).put("output_tokens", 0);
        events.add(JSON.createObjectNode()
                .put("type", "message_start")
                .set("message", start)
                .toString());
        int index = 0;
        for (JsonNode block : answer.get("content")) {
            ObjectNode opened = block.deepCopy();
            ObjectNode delta = JSON.createObjectNode();
            if (block.path("type").asText().equals("text")) {
                opened.put("text", "");
                delta.put("type", "text_delta").put("text", block.get("text").asText());
            } else {
                opened.putObject("input");
                delta.put("type", "input_json_delta")
                        .put("partial_json", block.get("input").toString());
            }
            events.add(JSON.createObjectNode()
                    .put("type", "content_block_start")
                    .put("index", index)
                    .set("content_block", opened)
                    .toString());
            events.add(JSON.createObjectNode()
                    .put("type", "content_block_delta")
                    .put("index", index)
                    .set("delta", delta)
                    .toString());
            events.add(JSON.createObjectNode()
                    .put("type", "content_block_stop")
                    .put("index", index)
                    .toString());
            index++;
        }
        ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
        end.putObject("delta")
                .put("stop_reason", answer.get("stop_reason").asText())
                .putNull("stop_sequence");
        end.putObject("usage")
                .put("output_tokens", answer.get("usage").get("output_tokens").asInt());
        events.add(end.toString());
        events.add("{\"type\":\"message_stop\"}");
        return events;
    }
}
