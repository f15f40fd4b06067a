package dev.keyline.domain.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A tool offered to the model: a client tool the caller runs, or a server tool (identified by a versioned
 * {@code type}) that the API host runs.
 */
public sealed interface ToolDefinition {

    Pattern WEB_SEARCH_TYPE = Pattern.compile("web_search_\\d{8}");

    String name();

    /**
     * @param type a tool's wire {@code type}; empty or {@code custom} for client tools
     * @return whether that type names Anthropic's server-side web search
     */
    static boolean isWebSearchType(String type) {
        return type != null && WEB_SEARCH_TYPE.matcher(type).matches();
    }

    /** A tool the client runs itself; the model calls it with {@code tool_use}. */
    record Client(String name, Optional<String> description, RawJson inputSchema, RawJson extra)
            implements ToolDefinition {
        public Client {
            requireName(name);
            Objects.requireNonNull(description, "'description' must not be null");
            Objects.requireNonNull(inputSchema, "'inputSchema' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }
    }

    /** Anthropic's server-side web search, in any of its versions. */
    record WebSearch(
            String type,
            String name,
            OptionalInt maxUses,
            List<String> allowedDomains,
            List<String> blockedDomains,
            Optional<RawJson> userLocation,
            RawJson extra)
            implements ToolDefinition {
        public WebSearch {
            if (!isWebSearchType(type)) {
                throw new IllegalArgumentException("not a web search tool type: " + type);
            }
            requireName(name);
            Objects.requireNonNull(maxUses, "'maxUses' must not be null");
            if (maxUses.isPresent() && maxUses.getAsInt() < 1) {
                throw new IllegalArgumentException("max_uses must be at least 1, was " + maxUses.getAsInt());
            }
            allowedDomains = List.copyOf(Objects.requireNonNull(allowedDomains, "'allowedDomains' must not be null"));
            blockedDomains = List.copyOf(Objects.requireNonNull(blockedDomains, "'blockedDomains' must not be null"));
            if (!allowedDomains.isEmpty() && !blockedDomains.isEmpty()) {
                throw new IllegalArgumentException("allowed_domains and blocked_domains cannot both be set");
            }
            Objects.requireNonNull(userLocation, "'userLocation' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }
    }

    /** Any other server tool (web fetch, code execution, …), carried as sent. */
    record OtherServer(String type, String name, RawJson raw) implements ToolDefinition {
        public OtherServer {
            Objects.requireNonNull(type, "'type' must not be null");
            if (type.isBlank()) {
                throw new IllegalArgumentException("'type' must not be blank");
            }
            requireName(name);
            Objects.requireNonNull(raw, "'raw' must not be null");
        }
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "'name' must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a tool name must not be blank");
        }
    }
}
