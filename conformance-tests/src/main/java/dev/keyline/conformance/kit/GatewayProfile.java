package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How the kit configures and addresses one kind of gateway, and which properties that gateway claims: a property it
 * does not claim (a search-loop property for a gateway without a search loop) is reported not applicable.
 */
public sealed interface GatewayProfile {

    String name();

    /** @return the configuration file the gateway reads for the kit's fakes */
    String config(FakeUpstreams fakes);

    /** @return headers a client of this gateway sends to reach a model group (per-request routing) */
    Map<String, String> routingHeaders(FakeUpstreams fakes, String group);

    /** @return whether the gateway runs web-search loops; without, cases offer no search tool */
    boolean webSearch();

    /** @return whether the gateway routes by model name, so an unknown model is its to refuse */
    boolean knowsModelGroups();

    /** @return whether the gateway claims the property */
    boolean claims(String propertyId);

    /** @return whether its configuration can say a deployment takes its key as Bearer (Keyline's auth_scheme) */
    boolean namesAuthSchemes();

    /** @return whether it can put an OpenAI-compatible deployment ({@code hosted_vllm/}) in a model group */
    boolean callsChatDeployments();

    /** @return the command that starts the gateway, from Keyline's checkout, or empty when none is known */
    String defaultCommand(Path root, String java);

    /** @return variables the gateway process needs besides the kit's */
    Map<String, String> environment(Path root);

    static GatewayProfile named(String name) {
        return switch (name) {
            case "keyline" -> new LiteLlmStyle("keyline");
            case "litellm" -> new LiteLlmStyle("litellm");
            case "portkey" -> new Portkey();
            default ->
                throw new IllegalArgumentException(
                        "unknown profile '" + name + "'; expected keyline, litellm or portkey");
        };
    }

    /** Keyline and LiteLLM: one {@code config.yaml}, routing by model name, a web-search loop. */
    record LiteLlmStyle(String name) implements GatewayProfile {
        @Override
        public String config(FakeUpstreams fakes) {
            return fakes.keylineConfig();
        }

        @Override
        public Map<String, String> routingHeaders(FakeUpstreams fakes, String group) {
            return Map.of();
        }

        @Override
        public boolean webSearch() {
            return true;
        }

        @Override
        public boolean knowsModelGroups() {
            return true;
        }

        @Override
        public boolean claims(String propertyId) {
            return true;
        }

        @Override
        public boolean namesAuthSchemes() {
            return name.equals("keyline");
        }

        @Override
        public boolean callsChatDeployments() {
            return true;
        }

        @Override
        public String defaultCommand(Path root, String java) {
            return name.equals("keyline")
                    ? java + " -jar " + root.resolve("app/target/keyline.jar")
                            + " serve --config {config} --port {port}"
                    : "litellm --config {config} --port {port}";
        }

        @Override
        public Map<String, String> environment(Path root) {
            return Map.of();
        }
    }

    /**
     * The Portkey gateway (npm {@code @portkey-ai/gateway}): no configuration file, routing per request through an
     * {@code x-portkey-config} header naming the group's targets (custom host with {@code /v1}, key, the client's
     * anthropic headers forwarded), a fallback strategy and one retry on upstream trouble. It has no web-search loop,
     * no model registry, and no per-target static headers.
     */
    record Portkey() implements GatewayProfile {
        private static final Set<String> SEARCH_LOOP =
                Set.of("loop-hop-binding", "loop-bounded", "history-replay", "loop-fault-ending");
        private static final ObjectMapper MAPPER = new ObjectMapper();

        @Override
        public String name() {
            return "portkey";
        }

        @Override
        public String config(FakeUpstreams fakes) {
            return "# Portkey is configured per request (x-portkey-config); this file is not read.\n";
        }

        @Override
        public Map<String, String> routingHeaders(FakeUpstreams fakes, String group) {
            ObjectNode config = MAPPER.createObjectNode();
            config.putObject("strategy").put("mode", "fallback");
            // The fakes's router_settings.num_retries is 1; this is Portkey's way of saying the same.
            config.putObject("retry")
                    .put("attempts", 1)
                    .putArray("on_status_codes")
                    .add(429)
                    .add(500)
                    .add(502)
                    .add(503)
                    .add(529);
            ArrayNode targets = config.putArray("targets");
            for (FakeDeployment deployment : fakes.group(group)) {
                ObjectNode target = targets.addObject()
                        .put("provider", "anthropic")
                        .put("custom_host", deployment.apiBase() + "/v1")
                        .put("api_key", deployment.key)
                        .put("request_timeout", FakeUpstreams.DEPLOYMENT_TIMEOUT_SECONDS * 1000);
                target.putArray("forward_headers").add("anthropic-beta").add("anthropic-version");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-portkey-config", config.toString());
            return headers;
        }

        @Override
        public boolean webSearch() {
            return false;
        }

        @Override
        public boolean knowsModelGroups() {
            return false;
        }

        @Override
        public boolean namesAuthSchemes() {
            return false;
        }

        @Override
        public boolean callsChatDeployments() {
            return false;
        }

        @Override
        public boolean claims(String propertyId) {
            return !SEARCH_LOOP.contains(propertyId);
        }

        @Override
        public String defaultCommand(Path root, String java) {
            return "node " + root.resolve(".peers/portkey/node_modules/@portkey-ai/gateway/build/start-server.js")
                    + " --port={port} --headless";
        }

        @Override
        public Map<String, String> environment(Path root) {
            return Map.of("NODE_OPTIONS", "--require " + root.resolve(".peers/portkey/bind-local.cjs"));
        }
    }
}
