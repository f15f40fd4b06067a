package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a profile file (YAML or JSON; docs/conformance.md, "Judge your gateway"). The built-in profiles are such files,
 * shipped in the kit's jar under {@code profiles/}; any other is named by its path.
 *
 * <pre>
 * name: my-gateway
 * capabilities: [anthropic-upstreams, model-groups, retries]
 * cooldown_seconds: 1     # how long it may rest a deployment after a one-off 429 with retry-after: 0
 * start:
 *   command: node {root}/.peers/mine/server.js --config {config} --port {port}
 *   environment: {HOME: "{home}"}
 * config:
 *   file: gateway-config.yaml
 *   template: |
 *     {{#each deployments}} …{{/each}}
 * request:
 *   model: "{{group}}"
 *   prefix: ""
 *   chat_prefix: ""
 *   headers: {x-route: "{{group}}"}
 * </pre>
 */
final class ProfileFile {

    private static final List<String> BUILT_IN =
            List.of("keyline", "litellm", "portkey", "claude-code-router", "nullplatform");
    private static final Set<String> TOP =
            Set.of("name", "description", "capabilities", "cooldown_seconds", "start", "config", "request");

    private ProfileFile() {}

    /** @throws IllegalArgumentException in one line, naming the file and what is wrong with it */
    static GatewayProfile load(String nameOrFile) {
        if (BUILT_IN.contains(nameOrFile)) {
            try (InputStream in = ProfileFile.class.getResourceAsStream("/profiles/" + nameOrFile + ".yaml")) {
                if (in == null) {
                    throw new IllegalStateException("the kit's jar lacks profiles/" + nameOrFile + ".yaml");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), nameOrFile);
            } catch (IOException e) {
                throw new IllegalStateException("profiles/" + nameOrFile + ".yaml cannot be read", e);
            }
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("unknown profile '" + nameOrFile + "': neither a built-in ("
                    + String.join(", ", BUILT_IN) + ") nor a file");
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("profile " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    static GatewayProfile parse(String text, String source) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("profile " + source + " is not YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("profile " + source + " is not a mapping");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP.contains(name)) {
                throw new IllegalArgumentException("profile " + source + ": unknown key '" + name + "' (known: "
                        + String.join(", ", new TreeSet<>(TOP)) + ")");
            }
        }
        try {
            Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
            for (JsonNode capability : required(root, "capabilities")) {
                capabilities.add(Capability.of(capability.asText()));
            }
            JsonNode start = root.path("start");
            JsonNode config = required(root, "config");
            JsonNode request = root.path("request");
            Map<String, PoolTemplate> headers = new LinkedHashMap<>();
            request.path("headers")
                    .properties()
                    .forEach(e -> headers.put(e.getKey(), template(e.getValue(), e.getKey())));
            return new GatewayProfile(
                    required(root, "name").asText(),
                    capabilities,
                    start.path("command").asText(""),
                    strings(start.path("environment")),
                    config.path("file").asText("gateway-config.yaml"),
                    template(required(config, "template"), "config.template"),
                    template(request.path("model").isMissingNode() ? null : request.path("model"), "request.model"),
                    new PoolTemplate(request.path("prefix").asText("")),
                    new PoolTemplate(request.path("chat_prefix").asText("")),
                    headers,
                    Duration.ofMillis(Math.round(root.path("cooldown_seconds").asDouble(0) * 1000)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile " + source + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String key) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }

    private static PoolTemplate template(JsonNode node, String where) {
        String source = node == null ? "{{group}}" : node.asText();
        try {
            return new PoolTemplate(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    /** @return the built-in profiles' names */
    static List<String> builtIn() {
        return new ArrayList<>(BUILT_IN);
    }
}
