package dev.keyline.domain.websearch;

import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.ToolDefinition;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The web-search tool a client offered, with its limits. {@code nativeTool} is true for Anthropic's server tool
 * ({@code web_search_2025…}/{@code 2026…}), whose callers expect {@code server_tool_use} and
 * {@code web_search_tool_result} blocks back; LiteLLM's {@code litellm_web_search} client tool is recognised too.
 *
 * @param name           the tool's name, kept for the tool the model is given
 * @param nativeTool     whether the client asked for Anthropic's server tool
 * @param maxUses        the most searches for this request
 * @param allowedDomains results only from these
 * @param blockedDomains never results from these
 * @param country        the user's country, from {@code user_location}
 */
public record SearchTool(
        String name,
        boolean nativeTool,
        OptionalInt maxUses,
        List<String> allowedDomains,
        List<String> blockedDomains,
        Optional<String> country) {

    /** LiteLLM's client-tool name for the same feature. */
    public static final String LITELLM_TOOL_NAME = "litellm_web_search";
    /** An older client's name for the same request, recognised only without an input schema. */
    public static final String LEGACY_TOOL_NAME = "WebSearch";

    private static final String DESCRIPTION = "Search the web for current information. Returns results with title, "
            + "URL, date and an excerpt. Use it when the answer needs facts you may not know or that may have changed.";

    public SearchTool {
        Objects.requireNonNull(name, "'name' must not be null");
        Objects.requireNonNull(maxUses, "'maxUses' must not be null");
        allowedDomains = List.copyOf(allowedDomains);
        blockedDomains = List.copyOf(blockedDomains);
        Objects.requireNonNull(country, "'country' must not be null");
    }

    /**
     * @param tools a request's tools
     * @return the web-search tool among them, if any
     */
    public static Optional<SearchTool> find(List<ToolDefinition> tools) {
        for (ToolDefinition tool : tools) {
            Optional<SearchTool> found = switch (tool) {
                case ToolDefinition.WebSearch search ->
                    Optional.of(new SearchTool(
                            search.name(),
                            true,
                            search.maxUses(),
                            search.allowedDomains(),
                            search.blockedDomains(),
                            search.userLocation().flatMap(l -> l.get("country")).map(Object::toString)));
                case ToolDefinition.Client client ->
                    isClientSearchTool(client) ? Optional.of(plain(client.name())) : Optional.empty();
                case ToolDefinition.OtherServer other ->
                    other.name().equals("web_search") ? Optional.of(plain(other.name())) : Optional.empty();
            };
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** @return whether {@code tool} is the search tool this record was found as */
    public boolean is(ToolDefinition tool) {
        return tool.name().equals(name)
                && switch (tool) {
                    case ToolDefinition.WebSearch search -> true;
                    case ToolDefinition.Client client -> isClientSearchTool(client);
                    case ToolDefinition.OtherServer other -> true;
                };
    }

    /** @return the client tool the model is given instead: same name, one {@code query} string */
    public ToolDefinition.Client asClientTool() {
        RawJson schema = new RawJson(Map.of(
                "type", "object",
                "properties", Map.of("query", Map.of("type", "string", "description", "The search query")),
                "required", List.of("query")));
        return new ToolDefinition.Client(name, Optional.of(DESCRIPTION), schema, RawJson.empty());
    }

    /**
     * LiteLLM's {@code litellm_web_search}, or a schema-less tool named {@code WebSearch}; a {@code WebSearch} tool
     * with a schema is a real client tool (Claude Desktop ships one) and is left alone.
     */
    private static boolean isClientSearchTool(ToolDefinition.Client client) {
        return client.name().equals(LITELLM_TOOL_NAME)
                || client.name().equals(LEGACY_TOOL_NAME)
                        && client.inputSchema().isEmpty();
    }

    private static SearchTool plain(String name) {
        return new SearchTool(name, false, OptionalInt.empty(), List.of(), List.of(), Optional.empty());
    }
}
