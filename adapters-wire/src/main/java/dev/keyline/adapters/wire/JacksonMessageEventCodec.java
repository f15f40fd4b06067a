package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.MessageEventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Reads and writes Messages stream events with Jackson, sharing the block and usage codecs with JSON bodies. */
public final class JacksonMessageEventCodec implements MessageEventCodec {

    private final JsonSupport json;

    public JacksonMessageEventCodec(ObjectMapper mapper) {
        this.json = new JsonSupport(mapper);
    }

    @Override
    public MessageEvent read(StreamEvent event) {
        try {
            WireObject data = WireObject.root(json.parse(event.data()), "an event");
            return switch (event.type()) {
                case "message_start" -> new MessageEvent.MessageStart(messageOf(data.node("message")));
                case "content_block_start" ->
                    new MessageEvent.BlockStart(
                            index(data), ContentBlockCodec.read(data.node("content_block"), "content_block"));
                case "content_block_delta" -> new MessageEvent.BlockDelta(index(data), delta(data.object("delta")));
                case "content_block_stop" -> new MessageEvent.BlockStop(index(data));
                case "message_delta" -> {
                    WireObject delta = data.object("delta");
                    yield new MessageEvent.MessageDelta(
                            delta.optionalText("stop_reason"),
                            delta.optionalText("stop_sequence"),
                            UsageCodec.read(data.node("usage"), "usage"));
                }
                case "message_stop" -> new MessageEvent.MessageStop();
                default -> new MessageEvent.Other(event);
            };
        } catch (WireFormatException | IllegalArgumentException e) {
            return new MessageEvent.Other(event);
        }
    }

    @Override
    public StreamEvent write(MessageEvent event) {
        return switch (event) {
            case MessageEvent.MessageStart start ->
                frame("message_start", out -> {
                    out.writeFieldName("message");
                    MessageResponseCodec.write(out, start.message());
                });
            case MessageEvent.BlockStart start ->
                frame("content_block_start", out -> {
                    out.writeNumberField("index", start.index());
                    out.writeFieldName("content_block");
                    ContentBlockCodec.write(out, start.block());
                });
            case MessageEvent.BlockDelta delta ->
                frame("content_block_delta", out -> {
                    out.writeNumberField("index", delta.index());
                    out.writeFieldName("delta");
                    writeDelta(out, delta.delta());
                });
            case MessageEvent.BlockStop stop ->
                frame("content_block_stop", out -> out.writeNumberField("index", stop.index()));
            case MessageEvent.MessageDelta delta ->
                frame("message_delta", out -> {
                    out.writeObjectFieldStart("delta");
                    JsonValues.writeNullable(out, "stop_reason", delta.stopReason());
                    JsonValues.writeNullable(out, "stop_sequence", delta.stopSequence());
                    out.writeEndObject();
                    out.writeFieldName("usage");
                    UsageCodec.write(out, delta.usage());
                });
            case MessageEvent.MessageStop stop -> frame("message_stop", out -> {});
            case MessageEvent.Other other -> other.event();
        };
    }

    @Override
    public RawJson parseObject(String text) {
        try {
            JsonNode node = json.parse(text.getBytes(StandardCharsets.UTF_8));
            return node.isObject() ? WireObject.at(node, "input").raw() : RawJson.empty();
        } catch (WireFormatException e) {
            return RawJson.empty();
        }
    }

    @Override
    public String toJson(RawJson object) {
        return new String(json.write(out -> JsonValues.write(out, object.fields())), StandardCharsets.UTF_8);
    }

    private static MessageResponse messageOf(JsonNode node) {
        WireObject message = WireObject.at(node, "message");
        return new MessageResponse(
                message.text("id"),
                message.optionalText("model").orElse(""),
                ContentBlockCodec.readList(message.array("content"), "message.content"),
                message.optionalText("stop_reason"),
                message.optionalText("stop_sequence"),
                UsageCodec.read(message.node("usage"), "message.usage"),
                message.rest(
                        Set.of("id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage")));
    }

    private static int index(WireObject data) {
        JsonNode index = data.node("index");
        if (index == null || !index.canConvertToInt() || index.intValue() < 0) {
            throw new WireFormatException("index", "must be a non-negative integer");
        }
        return index.intValue();
    }

    private static MessageEvent.Delta delta(WireObject delta) {
        String type = delta.optionalText("type").orElse("");
        return switch (type) {
            case "text_delta" -> new MessageEvent.Delta.Text(delta.text("text"));
            case "input_json_delta" ->
                new MessageEvent.Delta.InputJson(
                        delta.optionalText("partial_json").orElse(""));
            case "thinking_delta" -> new MessageEvent.Delta.Thinking(delta.text("thinking"));
            case "signature_delta" -> new MessageEvent.Delta.Signature(delta.text("signature"));
            case "citations_delta" ->
                new MessageEvent.Delta.Citation(delta.object("citation").raw());
            default -> new MessageEvent.Delta.Other(delta.raw());
        };
    }

    private static void writeDelta(JsonGenerator out, MessageEvent.Delta delta) throws IOException {
        switch (delta) {
            case MessageEvent.Delta.Text text -> pair(out, "text_delta", "text", text.text());
            case MessageEvent.Delta.InputJson input ->
                pair(out, "input_json_delta", "partial_json", input.partialJson());
            case MessageEvent.Delta.Thinking thinking -> pair(out, "thinking_delta", "thinking", thinking.thinking());
            case MessageEvent.Delta.Signature signature ->
                pair(out, "signature_delta", "signature", signature.signature());
            case MessageEvent.Delta.Citation citation -> {
                out.writeStartObject();
                out.writeStringField("type", "citations_delta");
                out.writeFieldName("citation");
                JsonValues.write(out, citation.citation().fields());
                out.writeEndObject();
            }
            case MessageEvent.Delta.Other other ->
                JsonValues.write(out, other.raw().fields());
        }
    }

    private static void pair(JsonGenerator out, String type, String field, String value) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", type);
        out.writeStringField(field, value);
        out.writeEndObject();
    }

    private StreamEvent frame(String type, JsonSupport.Writer body) {
        return new StreamEvent(
                type,
                new String(
                        json.write(out -> {
                            out.writeStartObject();
                            out.writeStringField("type", type);
                            body.write(out);
                            out.writeEndObject();
                        }),
                        StandardCharsets.UTF_8));
    }
}
