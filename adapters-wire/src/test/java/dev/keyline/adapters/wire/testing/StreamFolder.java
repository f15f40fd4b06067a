package dev.keyline.adapters.wire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Folds a Messages event stream into the message it describes, the way the Anthropic SDKs do. */
public final class StreamFolder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StreamFolder() {}

    /** @param sse the raw {@code text/event-stream} body */
    public static ObjectNode fold(String sse) {
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
                    switch (delta.get("type").asText()) {
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
                        default -> throw new IllegalStateException("unknown delta " + delta);
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
                case "message_stop", "ping" -> {}
                default -> throw new IllegalStateException("unexpected event " + event);
            }
        }
        return message;
    }

    /** @return the event names of a stream, in order */
    public static List<String> eventNames(String sse) {
        return sse.lines()
                .filter(l -> l.startsWith("event: "))
                .map(l -> l.substring(7))
                .toList();
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
