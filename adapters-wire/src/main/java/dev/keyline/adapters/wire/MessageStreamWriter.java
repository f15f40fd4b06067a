package dev.keyline.adapters.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders a complete message as the Messages event stream Anthropic would have sent for it: {@code message_start},
 * each block opened, filled by deltas and closed, {@code message_delta} with the stop reason and usage, and
 * {@code message_stop}. Folding these events gives back the same message.
 */
public final class MessageStreamWriter {

    private final JsonSupport json;

    public MessageStreamWriter(ObjectMapper mapper) {
        this.json = new JsonSupport(mapper);
    }

    /**
     * @param response a complete message
     * @return its events, in order
     */
    public List<StreamEvent> events(MessageResponse response) {
        List<StreamEvent> events = new ArrayList<>();
        MessageResponse empty = new MessageResponse(
                response.id(),
                response.model(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                response.usage(),
                response.extra());
        events.add(event("message_start", out -> {
            out.writeStringField("type", "message_start");
            out.writeFieldName("message");
            MessageResponseCodec.write(out, empty);
        }));
        for (int index = 0; index < response.content().size(); index++) {
            blockEvents(events, index, response.content().get(index));
        }
        events.add(event("message_delta", out -> {
            out.writeStringField("type", "message_delta");
            out.writeObjectFieldStart("delta");
            JsonValues.writeNullable(out, "stop_reason", response.stopReason());
            JsonValues.writeNullable(out, "stop_sequence", response.stopSequence());
            out.writeEndObject();
            out.writeFieldName("usage");
            UsageCodec.write(out, response.usage());
        }));
        events.add(event("message_stop", out -> out.writeStringField("type", "message_stop")));
        return events;
    }

    private void blockEvents(List<StreamEvent> events, int index, ContentBlock block) {
        ContentBlock opening = switch (block) {
            case ContentBlock.Text text ->
                new ContentBlock.Text("", text.extra().without("citations"));
            case ContentBlock.Thinking thinking -> new ContentBlock.Thinking("", "", thinking.extra());
            case ContentBlock.ToolUse use ->
                new ContentBlock.ToolUse(use.id(), use.name(), RawJson.empty(), use.extra());
            case ContentBlock.ServerToolUse use ->
                new ContentBlock.ServerToolUse(use.id(), use.name(), RawJson.empty(), use.extra());
            case ContentBlock.Image image -> image;
            case ContentBlock.ToolResult result -> result;
            case ContentBlock.RedactedThinking redacted -> redacted;
            case ContentBlock.WebSearchToolResult result -> result;
            case ContentBlock.Unknown unknown -> unknown;
        };
        events.add(event("content_block_start", out -> {
            out.writeStringField("type", "content_block_start");
            out.writeNumberField("index", index);
            out.writeFieldName("content_block");
            ContentBlockCodec.write(out, opening);
        }));
        switch (block) {
            case ContentBlock.Text text -> {
                text.extra()
                        .get("citations")
                        .filter(List.class::isInstance)
                        .map(List.class::cast)
                        .ifPresent(citations -> citations.forEach(
                                citation -> events.add(delta(index, "citations_delta", "citation", citation))));
                events.add(delta(index, "text_delta", "text", text.text()));
            }
            case ContentBlock.Thinking thinking -> {
                events.add(delta(index, "thinking_delta", "thinking", thinking.thinking()));
                events.add(delta(index, "signature_delta", "signature", thinking.signature()));
            }
            case ContentBlock.ToolUse use ->
                events.add(delta(index, "input_json_delta", "partial_json", json(use.input())));
            case ContentBlock.ServerToolUse use ->
                events.add(delta(index, "input_json_delta", "partial_json", json(use.input())));
            case ContentBlock.Image image -> {}
            case ContentBlock.ToolResult result -> {}
            case ContentBlock.RedactedThinking redacted -> {}
            case ContentBlock.WebSearchToolResult result -> {}
            case ContentBlock.Unknown unknown -> {}
        }
        events.add(event("content_block_stop", out -> {
            out.writeStringField("type", "content_block_stop");
            out.writeNumberField("index", index);
        }));
    }

    private StreamEvent delta(int index, String type, String field, Object value) {
        return event("content_block_delta", out -> {
            out.writeStringField("type", "content_block_delta");
            out.writeNumberField("index", index);
            out.writeObjectFieldStart("delta");
            out.writeStringField("type", type);
            out.writeFieldName(field);
            JsonValues.write(out, value);
            out.writeEndObject();
        });
    }

    private String json(RawJson value) {
        return new String(json.write(out -> JsonValues.write(out, value.fields())), StandardCharsets.UTF_8);
    }

    private StreamEvent event(String type, JsonSupport.Writer body) {
        return new StreamEvent(
                type,
                new String(
                        json.write(out -> {
                            out.writeStartObject();
                            body.write(out);
                            out.writeEndObject();
                        }),
                        StandardCharsets.UTF_8));
    }
}
