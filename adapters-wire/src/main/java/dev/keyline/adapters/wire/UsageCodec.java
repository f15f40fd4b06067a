package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.domain.message.Usage;
import java.io.IOException;
import java.util.Set;

/** The {@code usage} object to and from JSON. */
final class UsageCodec {

    private static final Set<String> TYPED = Set.of(
            "input_tokens",
            "output_tokens",
            "cache_creation_input_tokens",
            "cache_read_input_tokens",
            "server_tool_use");

    private UsageCodec() {}

    static Usage read(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Usage.zero();
        }
        WireObject usage = WireObject.at(node, path);
        long webSearch = 0;
        long webFetch = 0;
        if (usage.has("server_tool_use")) {
            WireObject serverTools = usage.object("server_tool_use");
            webSearch = serverTools.count("web_search_requests");
            webFetch = serverTools.count("web_fetch_requests");
        }
        return new Usage(
                usage.count("input_tokens"),
                usage.count("output_tokens"),
                usage.count("cache_creation_input_tokens"),
                usage.count("cache_read_input_tokens"),
                webSearch,
                webFetch,
                usage.rest(TYPED));
    }

    static void write(JsonGenerator out, Usage usage) throws IOException {
        out.writeStartObject();
        out.writeNumberField("input_tokens", usage.inputTokens());
        out.writeNumberField("output_tokens", usage.outputTokens());
        out.writeNumberField("cache_creation_input_tokens", usage.cacheCreationInputTokens());
        out.writeNumberField("cache_read_input_tokens", usage.cacheReadInputTokens());
        if (usage.webSearchRequests() > 0 || usage.webFetchRequests() > 0) {
            out.writeObjectFieldStart("server_tool_use");
            out.writeNumberField("web_search_requests", usage.webSearchRequests());
            out.writeNumberField("web_fetch_requests", usage.webFetchRequests());
            out.writeEndObject();
        }
        JsonValues.writeMembers(out, usage.extra().fields());
        out.writeEndObject();
    }
}
