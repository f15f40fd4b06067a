package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The kit's own reading and writing of Messages event streams, independent of any gateway's code: it renders the
 * fakes' answers as Anthropic frames them, and folds a gateway's stream back into a message as the SDKs do.
 */
final class MessageStreams {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MessageStreams() {}

    /** @return the event stream Anthropic sends for a message of text and tool_use blocks */
    static String render(ObjectNode message) {
        StringBuilder sse = new StringBuilder();
        ObjectNode start = message.deepCopy();
        start.set("content", MAPPER.createArrayNode());
        start.putNull("stop_reason");
        ObjectNode startEvent = MAPPER.createObjectNode().put("type", "message_start");
        startEvent.set("message", start);
        event(sse, startEvent);
        JsonNode content = message.path("content");
        for (int index = 0; index < content.size(); index++) {
            JsonNode block = content.get(index);
            ObjectNode opening = block.deepCopy();
            ObjectNode delta = MAPPER.createObjectNode();
            if (block.path("type").asText().equals("text")) {
                opening.put("text", "");
                delta.put("type", "text_delta").put("text", block.path("text").asText());
            } else {
                opening.putObject("input");
                delta.put("type", "input_json_delta")
                        .put("partial_json", block.path("input").toString());
            }
            ObjectNode blockStart =
                    MAPPER.createObjectNode().put("type", "content_block_start").put("index", index);
            blockStart.set("content_block", opening);
            event(sse, blockStart);
            ObjectNode blockDelta =
                    MAPPER.createObjectNode().put("type", "content_block_delta").put("index", index);
            blockDelta.set("delta", delta);
            event(sse, blockDelta);
            event(
                    sse,
                    MAPPER.createObjectNode().put("type", "content_block_stop").put("index", index));
        }
        ObjectNode end = MAPPER.createObjectNode().put("type", "message_delta");
        end.putObject("delta")
                .put("stop_reason", message.path("stop_reason").asText())
                .putNull("stop_sequence");
        end.set("usage", message.path("usage"));
        event(sse, end);
        event(sse, MAPPER.createObjectNode().put("type", "message_stop"));
        return sse.toString();
    }

    /** @return the message a {@code text/event-stream} body describes, folded as the Anthropic SDKs fold it */
    static ObjectNode fold(String sse) {
        ObjectNode message = null;
        Map<Integer, StringBuilder> partialJson = new HashMap<>();
        for (String frame : sse.split("\n\n")) {
            StringBuilder data = new StringBuilder();
            for (String line : frame.split("\n")) {
                if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            if (data.isEmpty()) {
                continue;
            }
            JsonNode event = parse(data.toString());
            switch (event.path("type").asText()) {
                case "message_start" ->
                    message = (ObjectNode) event.get("message").deepCopy();
                case "content_block_start" ->
                    ((ArrayNode) message.get("content"))
                            .insert(
                                    event.get("index").asInt(),
                                    event.get("content_block").deepCopy());
                case "content_block_delta" -> {
                    int index = event.get("index").asInt();
                    ObjectNode block = (ObjectNode) message.get("content").get(index);
                    JsonNode delta = event.get("delta");
                    switch (delta.path("type").asText()) {
                        case "text_delta" ->
                            block.put(
                                    "text",
                                    block.path("text").asText()
                                            + delta.get("text").asText());
                        case "thinking_delta" ->
                            block.put(
                                    "thinking",
                                    block.path("thinking").asText()
                                            + delta.get("thinking").asText());
                        case "signature_delta" ->
                            block.put("signature", delta.get("signature").asText());
                        case "citations_delta" -> {
                            if (!block.path("citations").isArray()) {
                                block.putArray("citations");
                            }
                            ((ArrayNode) block.get("citations")).add(delta.get("citation"));
                        }
                        case "input_json_delta" ->
                            partialJson
                                    .computeIfAbsent(index, i -> new StringBuilder())
                                    .append(delta.get("partial_json").asText());
                        default -> {}
                    }
                }
                case "content_block_stop" -> {
                    int index = event.get("index").asInt();
                    StringBuilder json = partialJson.remove(index);
                    if (json != null && !json.isEmpty()) {
                        ((ObjectNode) message.get("content").get(index)).set("input", parse(json.toString()));
                    }
                }
                case "message_delta" -> {
                    ObjectNode folded = message;
                    event.get("delta").properties().forEach(e -> folded.set(e.getKey(), e.getValue()));
                    if (event.has("usage")) {
                        ObjectNode usage = (ObjectNode) message.get("usage");
                        event.get("usage").properties().forEach(e -> usage.set(e.getKey(), e.getValue()));
                    }
                }
                case "error" -> {
                    return (ObjectNode) event.deepCopy();
                }
                default -> {}
            }
        }
        return message == null ? MAPPER.createObjectNode().put("type", "error") : message;
    }

    private static void event(StringBuilder sse, ObjectNode data) {
        sse.append("event: ")
                .append(data.get("type").asText())
                .append("\ndata: ")
                .append(data)
                .append("\n\n");
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
