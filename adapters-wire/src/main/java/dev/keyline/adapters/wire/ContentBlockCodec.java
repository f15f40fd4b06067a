package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.WebSearchOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Content blocks to and from JSON; a block of an unknown type is kept whole. */
final class ContentBlockCodec {

    private ContentBlockCodec() {}

    static List<ContentBlock> readList(List<JsonNode> nodes, String path) {
        List<ContentBlock> blocks = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            blocks.add(read(nodes.get(i), path + "." + i));
        }
        return blocks;
    }

    static ContentBlock read(JsonNode node, String path) {
        WireObject block = WireObject.at(node, path);
        String type = block.text("type");
        return switch (type) {
            case "text" -> new ContentBlock.Text(block.text("text"), block.rest(Set.of("type", "text")));
            case "image" -> new ContentBlock.Image(block.object("source").raw(), block.rest(Set.of("type", "source")));
            case "tool_use" ->
                new ContentBlock.ToolUse(
                        block.text("id"),
                        block.text("name"),
                        input(block),
                        block.rest(Set.of("type", "id", "name", "input")));
            case "server_tool_use" ->
                new ContentBlock.ServerToolUse(
                        block.text("id"),
                        block.text("name"),
                        input(block),
                        block.rest(Set.of("type", "id", "name", "input")));
            case "tool_result" ->
                new ContentBlock.ToolResult(
                        block.text("tool_use_id"),
                        toolResultContent(block),
                        block.rest(Set.of("type", "tool_use_id", "content")));
            case "thinking" ->
                new ContentBlock.Thinking(
                        block.text("thinking"),
                        block.optionalText("signature").orElse(""),
                        block.rest(Set.of("type", "thinking", "signature")));
            case "redacted_thinking" ->
                new ContentBlock.RedactedThinking(block.text("data"), block.rest(Set.of("type", "data")));
            case "web_search_tool_result" ->
                new ContentBlock.WebSearchToolResult(
                        block.text("tool_use_id"),
                        webSearchOutcome(block),
                        block.rest(Set.of("type", "tool_use_id", "content")));
            default -> new ContentBlock.Unknown(type, block.raw());
        };
    }

    static void writeList(JsonGenerator out, List<ContentBlock> blocks) throws IOException {
        out.writeStartArray();
        for (ContentBlock block : blocks) {
            write(out, block);
        }
        out.writeEndArray();
    }

    static void write(JsonGenerator out, ContentBlock block) throws IOException {
        out.writeStartObject();
        switch (block) {
            case ContentBlock.Text text -> {
                out.writeStringField("type", text.type());
                out.writeStringField("text", text.text());
                JsonValues.writeMembers(out, text.extra().fields());
            }
            case ContentBlock.Image image -> {
                out.writeStringField("type", image.type());
                out.writeFieldName("source");
                JsonValues.write(out, image.source().fields());
                JsonValues.writeMembers(out, image.extra().fields());
            }
            case ContentBlock.ToolUse use ->
                writeToolCall(out, use.type(), use.id(), use.name(), use.input(), use.extra());
            case ContentBlock.ServerToolUse use ->
                writeToolCall(out, use.type(), use.id(), use.name(), use.input(), use.extra());
            case ContentBlock.ToolResult result -> {
                out.writeStringField("type", result.type());
                out.writeStringField("tool_use_id", result.toolUseId());
                out.writeFieldName("content");
                switch (result.content()) {
                    case ContentBlock.ToolResultContent.Text text -> out.writeString(text.text());
                    case ContentBlock.ToolResultContent.Blocks blocks -> writeList(out, blocks.blocks());
                }
                JsonValues.writeMembers(out, result.extra().fields());
            }
            case ContentBlock.Thinking thinking -> {
                out.writeStringField("type", thinking.type());
                out.writeStringField("thinking", thinking.thinking());
                out.writeStringField("signature", thinking.signature());
                JsonValues.writeMembers(out, thinking.extra().fields());
            }
            case ContentBlock.RedactedThinking redacted -> {
                out.writeStringField("type", redacted.type());
                out.writeStringField("data", redacted.data());
                JsonValues.writeMembers(out, redacted.extra().fields());
            }
            case ContentBlock.WebSearchToolResult result -> {
                out.writeStringField("type", result.type());
                out.writeStringField("tool_use_id", result.toolUseId());
                out.writeFieldName("content");
                writeWebSearchOutcome(out, result.content());
                JsonValues.writeMembers(out, result.extra().fields());
            }
            case ContentBlock.Unknown unknown ->
                JsonValues.writeMembers(out, unknown.raw().fields());
        }
        out.writeEndObject();
    }

    private static RawJson input(WireObject block) {
        return block.has("input") ? block.object("input").raw() : RawJson.empty();
    }

    private static void writeToolCall(
            JsonGenerator out, String type, String id, String name, RawJson input, RawJson extra) throws IOException {
        out.writeStringField("type", type);
        out.writeStringField("id", id);
        out.writeStringField("name", name);
        out.writeFieldName("input");
        JsonValues.write(out, input.fields());
        JsonValues.writeMembers(out, extra.fields());
    }

    private static ContentBlock.ToolResultContent toolResultContent(WireObject block) {
        JsonNode content = block.node("content");
        if (content == null || content.isNull()) {
            return new ContentBlock.ToolResultContent.Blocks(List.of());
        }
        if (content.isTextual()) {
            return new ContentBlock.ToolResultContent.Text(content.textValue());
        }
        return new ContentBlock.ToolResultContent.Blocks(readList(block.array("content"), block.child("content")));
    }

    private static WebSearchOutcome webSearchOutcome(WireObject block) {
        JsonNode content = block.node("content");
        if (content != null && content.isObject()) {
            WireObject error = WireObject.at(content, block.child("content"));
            return new WebSearchOutcome.Error(error.text("error_code"), error.rest(Set.of("type", "error_code")));
        }
        List<JsonNode> items = block.array("content");
        List<WebSearchOutcome.WebSearchResult> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            WireObject item = WireObject.at(items.get(i), block.child("content") + "." + i);
            results.add(new WebSearchOutcome.WebSearchResult(
                    item.text("url"),
                    item.optionalText("title").orElse(""),
                    item.optionalText("encrypted_content"),
                    item.optionalText("page_age"),
                    item.rest(Set.of("type", "url", "title", "encrypted_content", "page_age"))));
        }
        return new WebSearchOutcome.Results(results);
    }

    private static void writeWebSearchOutcome(JsonGenerator out, WebSearchOutcome outcome) throws IOException {
        switch (outcome) {
            case WebSearchOutcome.Error error -> {
                out.writeStartObject();
                out.writeStringField("type", "web_search_tool_result_error");
                out.writeStringField("error_code", error.errorCode());
                JsonValues.writeMembers(out, error.extra().fields());
                out.writeEndObject();
            }
            case WebSearchOutcome.Results results -> {
                out.writeStartArray();
                for (WebSearchOutcome.WebSearchResult result : results.results()) {
                    out.writeStartObject();
                    out.writeStringField("type", "web_search_result");
                    out.writeStringField("url", result.url());
                    out.writeStringField("title", result.title());
                    writeOptional(out, "encrypted_content", result.encryptedContent());
                    writeOptional(out, "page_age", result.pageAge());
                    JsonValues.writeMembers(out, result.extra().fields());
                    out.writeEndObject();
                }
                out.writeEndArray();
            }
        }
    }

    private static void writeOptional(JsonGenerator out, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            out.writeStringField(name, value.get());
        }
    }
}
