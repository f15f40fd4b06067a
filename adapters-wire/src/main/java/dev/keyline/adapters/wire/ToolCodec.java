package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.ToolDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** Tool definitions to and from JSON. */
final class ToolCodec {

    private static final Set<String> WEB_SEARCH_TYPED =
            Set.of("type", "name", "max_uses", "allowed_domains", "blocked_domains", "user_location");

    private ToolCodec() {}

    static List<ToolDefinition> readList(List<JsonNode> nodes, String path) {
        List<ToolDefinition> tools = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            tools.add(read(WireObject.at(nodes.get(i), path + "." + i)));
        }
        return tools;
    }

    private static ToolDefinition read(WireObject tool) {
        String type = tool.optionalText("type").orElse("custom");
        if (type.equals("custom")) {
            // LiteLLM also treats a schema-less tool named "WebSearch" as a search request (older Claude clients).
            RawJson schema = !tool.has("input_schema")
                            && tool.optionalText("name").orElse("").equals("WebSearch")
                    ? RawJson.empty()
                    : tool.object("input_schema").raw();
            return new ToolDefinition.Client(
                    tool.text("name"),
                    tool.optionalText("description"),
                    schema,
                    tool.rest(Set.of("name", "description", "input_schema")));
        }
        if (ToolDefinition.isWebSearchType(type)) {
            List<String> allowed = tool.textList("allowed_domains");
            List<String> blocked = tool.textList("blocked_domains");
            if (!allowed.isEmpty() && !blocked.isEmpty()) {
                throw new WireFormatException(tool.path(), "allowed_domains and blocked_domains cannot both be set");
            }
            OptionalInt maxUses = tool.optionalPositiveInt("max_uses");
            return new ToolDefinition.WebSearch(
                    type,
                    tool.text("name"),
                    maxUses,
                    allowed,
                    blocked,
                    tool.optionalRawObject("user_location"),
                    tool.rest(WEB_SEARCH_TYPED));
        }
        return new ToolDefinition.OtherServer(type, tool.text("name"), tool.raw());
    }

    static void writeList(JsonGenerator out, List<ToolDefinition> tools) throws IOException {
        out.writeStartArray();
        for (ToolDefinition tool : tools) {
            write(out, tool);
        }
        out.writeEndArray();
    }

    private static void write(JsonGenerator out, ToolDefinition tool) throws IOException {
        out.writeStartObject();
        switch (tool) {
            case ToolDefinition.Client client -> {
                out.writeStringField("name", client.name());
                if (client.description().isPresent()) {
                    out.writeStringField("description", client.description().get());
                }
                out.writeFieldName("input_schema");
                JsonValues.write(out, client.inputSchema().fields());
                JsonValues.writeMembers(out, client.extra().fields());
            }
            case ToolDefinition.WebSearch search -> {
                out.writeStringField("type", search.type());
                out.writeStringField("name", search.name());
                if (search.maxUses().isPresent()) {
                    out.writeNumberField("max_uses", search.maxUses().getAsInt());
                }
                writeDomains(out, "allowed_domains", search.allowedDomains());
                writeDomains(out, "blocked_domains", search.blockedDomains());
                if (search.userLocation().isPresent()) {
                    out.writeFieldName("user_location");
                    JsonValues.write(out, search.userLocation().get().fields());
                }
                JsonValues.writeMembers(out, search.extra().fields());
            }
            case ToolDefinition.OtherServer other ->
                JsonValues.writeMembers(out, other.raw().fields());
        }
        out.writeEndObject();
    }

    private static void writeDomains(JsonGenerator out, String name, List<String> domains) throws IOException {
        if (!domains.isEmpty()) {
            out.writeFieldName(name);
            JsonValues.write(out, domains);
        }
    }
}
