package dev.keyline.app.config;

import dev.keyline.adapters.database.DatabaseUrl;
import dev.keyline.adapters.state.redis.RedisEndpoint;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.RoutingStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the sections beside {@code model_list}: router, general, litellm and callback settings, search tools. */
final class SettingsReader {

    private static final Set<String> ROUTER_KEYS = Set.of(
            "routing_strategy",
            "num_retries",
            "cooldown_time",
            "allowed_fails",
            "allowed_fails_policy",
            "fallbacks",
            "context_window_fallbacks",
            "content_policy_fallbacks",
            "default_fallbacks",
            "max_fallbacks",
            "disable_cooldowns",
            "request_deadline",
            "stream_resume",
            "redis_url",
            "redis_host",
            "redis_port",
            "redis_password",
            "redis_key_prefix",
            "redis_timeout",
            "redis_ssl_ca_certs");
    private static final Set<String> INTERCEPTION_KEYS =
            Set.of("enabled_providers", "search_tool_name", "max_agentic_loops");
    private static final Set<String> SEARCH_TOOL_KEYS = Set.of("search_tool_name", "litellm_params");
    private static final String INTERCEPTION_CALLBACK = "websearch_interception";
    private static final Set<String> SEARCH_TOOL_PARAM_KEYS =
            Set.of("search_provider", "api_key", "api_base", "timeout", "input_cost_per_query");

    private final Findings findings;

    SettingsReader(Findings findings) {
        this.findings = findings;
    }

    RouterSettings router(ConfigNode root) {
        Optional<ConfigNode> section = root.mapping("router_settings");
        if (section.isEmpty()) {
            return RouterSettings.defaults();
        }
        ConfigNode router = section.get();
        // Fallbacks, retries and strategy decide which deployment, and so which key, a request reaches.
        findings.checkKeys(router, ROUTER_KEYS, Findings.TypoRisk.MISDIRECTS);
        RouterSettings defaults = RouterSettings.defaults();
        String strategy = router.text("routing_strategy").map(String::strip).orElse(defaults.routingStrategy());
        if (!RouterSettings.STRATEGIES.contains(strategy)) {
            throw ConfigException.at(
                    router.child("routing_strategy"),
                    "expected one of "
                            + String.join(
                                    ", ",
                                    RouterSettings.STRATEGIES.stream().sorted().toList()) + ", got '" + strategy + "'");
        }
        if (RoutingStrategy.fromConfigName(strategy).isEmpty()) {
            findings.warn(router.child("routing_strategy") + ": '" + strategy
                    + "' is not implemented by Keyline yet; routing uses simple-shuffle");
        }
        Map<String, Integer> policy = new LinkedHashMap<>();
        router.mapping("allowed_fails_policy")
                .ifPresent(p -> p.keys().forEach(key -> {
                    FailureClass failureClass = FailureClass.fromPolicyKey(key)
                            .orElseThrow(() -> ConfigException.at(
                                    p.child(key),
                                    "unknown failure class; expected one of "
                                            + String.join(
                                                    ", ",
                                                    Arrays.stream(FailureClass.values())
                                                            .map(FailureClass::policyKey)
                                                            .toList())));
                    if (!failureClass.isHealthSignal()) {
                        findings.warn(p.child(key)
                                + ": Keyline never cools a deployment on client errors; this entry has no effect");
                    }
                    policy.put(key, p.nonNegativeInt(key).orElse(0));
                }));
        return new RouterSettings(
                strategy,
                router.nonNegativeInt("num_retries").orElse(defaults.numRetries()),
                router.seconds("cooldown_time", true).orElse(defaults.cooldownTime()),
                router.nonNegativeInt("allowed_fails"),
                policy,
                fallbackMap(router, "fallbacks"),
                fallbackMap(router, "context_window_fallbacks"),
                fallbackMap(router, "content_policy_fallbacks"),
                router.strings("default_fallbacks"),
                router.nonNegativeInt("max_fallbacks").orElse(defaults.maxFallbacks()),
                router.flag("disable_cooldowns").orElse(false),
                router.seconds("request_deadline", false).orElse(defaults.requestDeadline()),
                router.flag("stream_resume").orElse(defaults.streamResume()));
    }

    /**
     * The fleet's Redis, from {@code router_settings}: {@code redis_url} ({@code redis://} or {@code rediss://}), or
     * {@code redis_host} with {@code redis_port} and {@code redis_password} (LiteLLM's keys); {@code redis_key_prefix}
     * and {@code redis_timeout} (seconds) are Keyline's own.
     *
     * @return the endpoint, or empty when the gateway shares no state
     */
    /**
     * @param configDir the config file's folder, against which {@code redis_ssl_ca_certs} is read
     * @return the fleet's Redis, trusting only the CA bundle {@code redis_ssl_ca_certs} names when it names one
     */
    Optional<RedisEndpoint> redis(ConfigNode root, Path configDir) {
        Optional<RedisEndpoint> endpoint = redis(root);
        Optional<ConfigNode> router = root.mapping("router_settings");
        Optional<String> bundle =
                router.flatMap(r -> r.text("redis_ssl_ca_certs")).map(String::strip);
        if (bundle.isEmpty()) {
            return endpoint;
        }
        String at = router.orElseThrow().child("redis_ssl_ca_certs");
        Path file = configDir.resolve(bundle.get());
        if (endpoint.isEmpty() || !endpoint.get().tls()) {
            throw ConfigException.at(at, "is for a TLS connection to Redis: use a rediss:// redis_url");
        }
        if (!Files.isReadable(file)) {
            throw ConfigException.at(at, "cannot read " + file);
        }
        return Optional.of(endpoint.get().trusting(file));
    }

    Optional<RedisEndpoint> redis(ConfigNode root) {
        Optional<ConfigNode> section = root.mapping("router_settings");
        if (section.isEmpty()) {
            return Optional.empty();
        }
        ConfigNode router = section.get();
        Optional<String> url = router.secret("redis_url").map(String::strip);
        Optional<String> host = router.text("redis_host").map(String::strip);
        Duration timeout = router.seconds("redis_timeout", false).orElse(RedisEndpoint.DEFAULT_TIMEOUT);
        String prefix = router.text("redis_key_prefix").map(String::strip).orElse(RedisEndpoint.DEFAULT_PREFIX);
        if (url.isPresent() && host.isPresent()) {
            throw ConfigException.at(router.child("redis_url"), "give redis_url or redis_host, not both");
        }
        try {
            if (url.isPresent()) {
                return Optional.of(RedisEndpoint.fromUrl(url.get(), timeout, prefix));
            }
            if (host.isEmpty()) {
                for (String key : List.of("redis_port", "redis_password")) {
                    if (router.has(key)) {
                        throw ConfigException.at(router.child(key), "set redis_host (or redis_url) too");
                    }
                }
                return Optional.empty();
            }
            int port = router.positiveInt("redis_port").orElse(RedisEndpoint.DEFAULT_PORT);
            return Optional.of(new RedisEndpoint(
                    host.get(),
                    port,
                    Optional.empty(),
                    router.secret("redis_password").filter(p -> !p.isEmpty()),
                    false,
                    0,
                    timeout,
                    prefix));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(router.child(url.isPresent() ? "redis_url" : "redis_host"), e.getMessage());
        }
    }

    /**
     * @param environment the process environment, for the OpenTelemetry exporter's standard variables
     * @return the metrics, log and trace settings; see {@link OperationsSettings}
     */
    OperationsSettings operations(ConfigNode root, Map<String, String> environment) {
        OperationsSettings defaults = OperationsSettings.defaults();
        Optional<ConfigNode> general = root.mapping("general_settings");
        Optional<TraceExport> traces;
        try {
            traces =
                    TraceExport.of(general.flatMap(g -> g.text("otlp_endpoint")).map(String::strip), environment);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return new OperationsSettings(
                general.flatMap(g -> g.flag("metrics")).orElse(defaults.metrics()),
                general.flatMap(g -> g.flag("require_auth_for_metrics_endpoint"))
                        .orElse(defaults.metricsNeedKey()),
                root.mapping("litellm_settings")
                        .flatMap(s -> s.flag("json_logs"))
                        .orElse(defaults.jsonLogs()),
                traces);
    }

    Credentials masterKey(ConfigNode root) {
        return root.mapping("general_settings")
                .flatMap(general -> {
                    // A misspelled master_key would leave the gateway, and its keys, open to anyone.
                    findings.checkKeys(
                            general,
                            Set.of(
                                    "master_key",
                                    "require_auth_for_metrics_endpoint",
                                    "metrics",
                                    "otlp_endpoint",
                                    "database_url",
                                    "virtual_keys",
                                    "ssl_certfile_path",
                                    "ssl_keyfile_path"),
                            Findings.TypoRisk.MISDIRECTS);
                    return general.secret("master_key");
                })
                .map(Credentials::of)
                .orElse(Credentials.none());
    }

    /**
     * @param configDir the config file's folder, against which relative paths are read
     * @return the front door's certificate and key files, when both are named; one without the other is refused
     */
    Optional<ServerTls> serverTls(ConfigNode root, Path configDir) {
        Optional<ConfigNode> general = root.mapping("general_settings");
        Optional<String> certificate =
                general.flatMap(g -> g.text("ssl_certfile_path")).map(String::strip);
        Optional<String> key = general.flatMap(g -> g.text("ssl_keyfile_path")).map(String::strip);
        if (certificate.isPresent() != key.isPresent()) {
            throw ConfigException.at(
                    general.orElseThrow().child(certificate.isPresent() ? "ssl_keyfile_path" : "ssl_certfile_path"),
                    "required with " + (certificate.isPresent() ? "ssl_certfile_path" : "ssl_keyfile_path")
                            + ": HTTPS needs the certificate and its key");
        }
        return certificate.map(c -> new ServerTls(configDir.resolve(c), configDir.resolve(key.orElseThrow())));
    }

    /**
     * @param configDir the config file's folder, where the embedded database lives
     * @return where virtual keys are kept; a database URL without a master key is refused (nothing would guard the
     *         keys' admin API)
     */
    KeySettings keys(ConfigNode root, Credentials masterKey, Path configDir) {
        Optional<ConfigNode> general = root.mapping("general_settings");
        Optional<String> url = general.flatMap(g -> g.secret("database_url")).map(String::strip);
        boolean wanted = general.flatMap(g -> g.flag("virtual_keys")).orElse(true);
        Path embedded = configDir.resolve(KeySettings.EMBEDDED_FILE);
        if (url.isPresent()) {
            ConfigNode g = general.orElseThrow();
            if (!masterKey.isPresent()) {
                throw ConfigException.at(
                        g.child("database_url"),
                        "virtual keys need general_settings.master_key: it guards the admin API that issues them");
            }
            if (!wanted) {
                throw ConfigException.at(
                        g.child("database_url"), "is set but virtual_keys is false; remove one of them");
            }
            try {
                DatabaseUrl.parse(url.get(), configDir);
            } catch (IllegalArgumentException e) {
                throw ConfigException.at(g.child("database_url"), e.getMessage());
            }
        }
        return new KeySettings(wanted && masterKey.isPresent(), url, embedded);
    }

    WebSearchInterceptionSettings webSearch(ConfigNode root) {
        Optional<ConfigNode> litellm = root.mapping("litellm_settings");
        litellm.ifPresent(s -> findings.checkKeys(
                s, Set.of("callbacks", "websearch_interception_params", "json_logs"), Findings.TypoRisk.DEGRADES));
        List<String> callbacks = litellm.map(s -> s.strings("callbacks")).orElse(List.of());
        callbacks.stream()
                // LiteLLM's switch for /metrics; Keyline serves them unless general_settings.metrics is false.
                .filter(callback -> !callback.equals(INTERCEPTION_CALLBACK) && !callback.equals("prometheus"))
                .forEach(callback -> findings.warn(
                        "litellm_settings.callbacks: '" + callback + "' is not a callback Keyline runs; ignored"
                                + KeyTypos.nearest(callback, Set.of(INTERCEPTION_CALLBACK))
                                        .map(meant -> "; did you mean " + meant + "? Web-search interception is off")
                                        .orElse("")));
        boolean enabled = callbacks.contains(INTERCEPTION_CALLBACK);
        Optional<ConfigNode> params = litellm.flatMap(s -> s.mapping("websearch_interception_params"))
                .or(() -> root.mapping("callback_settings").flatMap(s -> {
                    findings.checkKeys(s, Set.of(INTERCEPTION_CALLBACK), Findings.TypoRisk.DEGRADES);
                    return s.mapping(INTERCEPTION_CALLBACK);
                }));
        if (params.isEmpty()) {
            return new WebSearchInterceptionSettings(
                    enabled, List.of(), Optional.empty(), WebSearchInterceptionSettings.DEFAULT_MAX_AGENTIC_LOOPS);
        }
        ConfigNode p = params.get();
        findings.checkKeys(p, INTERCEPTION_KEYS, Findings.TypoRisk.DEGRADES);
        return new WebSearchInterceptionSettings(
                enabled,
                p.strings("enabled_providers"),
                p.text("search_tool_name"),
                p.positiveInt("max_agentic_loops").orElse(WebSearchInterceptionSettings.DEFAULT_MAX_AGENTIC_LOOPS));
    }

    List<SearchToolSettings> searchTools(ConfigNode root) {
        List<SearchToolSettings> tools = new ArrayList<>();
        for (ConfigNode entry : root.mappings("search_tools")) {
            findings.checkKeys(entry, SEARCH_TOOL_KEYS, Findings.TypoRisk.MISDIRECTS);
            String name = entry.requireText("search_tool_name").strip();
            ConfigNode params = entry.requireMapping("litellm_params");
            String provider = params.requireText("search_provider").strip();
            if (SearchProvider.named(provider).isEmpty()) {
                throw ConfigException.at(
                        params.child("search_provider"),
                        "expected one of "
                                + String.join(
                                        ", ",
                                        SearchProvider.allNames().stream()
                                                .sorted()
                                                .toList()) + ", got '" + provider + "'");
            }
            if (provider.equals("offline") && !params.has("corpus")) {
                findings.problem(params.path() + ": the offline engine needs corpus: FILE (a JSON Lines file of"
                        + " url, title, text); the bundled corpus is the demo's");
            }
            Map<String, String> extra = new LinkedHashMap<>();
            for (String key : params.keys()) {
                if (SEARCH_TOOL_PARAM_KEYS.contains(key)) {
                    continue;
                }
                // Other keys are the engine's own parameters; a near miss of api_base or api_key is a slip that
                // would send the engine's key to its default host.
                Optional<String> meant = KeyTypos.nearest(key, SEARCH_TOOL_PARAM_KEYS);
                if (meant.isPresent()) {
                    findings.problem(params.child(key) + ": unknown setting; did you mean " + meant.get() + "?");
                }
                extra.put(key, params.text(key).orElse(""));
            }
            tools.add(new SearchToolSettings(
                    name,
                    provider,
                    params.secret("api_key").map(Credentials::of).orElse(Credentials.none()),
                    params.text("api_base").map(String::strip),
                    params.seconds("timeout", false).orElse(Duration.ofSeconds(10)),
                    extra,
                    pricePerQuery(params)));
        }
        return tools;
    }

    private static Usd pricePerQuery(ConfigNode params) {
        return params.text("input_cost_per_query")
                .map(text -> {
                    try {
                        return Usd.of(text);
                    } catch (IllegalArgumentException | ArithmeticException e) {
                        throw ConfigException.at(
                                params.child("input_cost_per_query"),
                                "expected a price in US dollars per search (e.g. 0.005), got '" + text + "'");
                    }
                })
                .orElse(Usd.ZERO);
    }

    private static Map<String, List<String>> fallbackMap(ConfigNode router, String key) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (ConfigNode item : router.mappings(key)) {
            for (String group : item.keys()) {
                result.put(group, item.strings(group));
            }
        }
        return result;
    }
}
