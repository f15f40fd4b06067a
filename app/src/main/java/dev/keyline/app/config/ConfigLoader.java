package dev.keyline.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keyline.adapters.providers.ProviderRegistry;
import dev.keyline.domain.deployment.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Loads a LiteLLM-style {@code config.yaml}. The environment is passed in, and only the variables the file names
 * with {@code os.environ/NAME} are ever looked up, besides the OpenTelemetry exporter's standard
 * {@code OTEL_EXPORTER_OTLP_*} and {@code OTEL_SERVICE_NAME} (where traces go): nothing reads
 * {@code ANTHROPIC_API_KEY} or its relatives.
 */
public final class ConfigLoader {

    private static final Set<String> TOP_LEVEL_KEYS = Set.of(
            "model_list",
            "router_settings",
            "general_settings",
            "litellm_settings",
            "callback_settings",
            "search_tools",
            "environment_variables");

    /** Top-level sections where a misspelled name moves traffic or keys, or leaves the gateway open. */
    private static final Set<String> MISDIRECTING_SECTIONS =
            Set.of("model_list", "router_settings", "general_settings", "search_tools");

    private final Map<String, String> environment;
    private final ProviderRegistry providers;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    /** @param environment the process environment (or a test's stand-in) */
    public ConfigLoader(Map<String, String> environment) {
        this(environment, ProviderRegistry.standard());
    }

    /**
     * @param environment the process environment (or a test's stand-in)
     * @param providers   the providers deployments may name, with their defaults
     */
    public ConfigLoader(Map<String, String> environment, ProviderRegistry providers) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "'environment' must not be null"));
        this.providers = Objects.requireNonNull(providers, "'providers' must not be null");
    }

    /**
     * @param file a YAML file
     * @return the configuration
     * @throws ConfigException when the file is missing, unreadable or invalid; the message names the key path
     */
    public GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException(
                    "config file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        return parse(text, file.toString());
    }

    /** @return the folder of the config file a source names (the working folder for text not from a file) */
    private static Path configDir(String source) {
        Path parent = Path.of(source).toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    /**
     * @param text   YAML text
     * @param source where it came from, for messages
     * @return the configuration
     */
    public GatewayConfig parse(String text, String source) {
        JsonNode tree;
        try {
            tree = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(YamlProblems.describe(source, text, e));
        }
        Map<String, String> env = new HashMap<>(environment);
        ConfigNode rawRoot = ConfigNode.root(tree, Map.of());
        rawRoot.mapping("environment_variables")
                .ifPresent(vars -> vars.keys()
                        .forEach(name -> env.put(name, vars.secret(name).orElse(""))));
        ConfigNode root = ConfigNode.root(tree, env);

        Findings findings = new Findings();
        findings.checkKeys(root, TOP_LEVEL_KEYS, MISDIRECTING_SECTIONS);
        SettingsReader settings = new SettingsReader(findings);
        ModelListReader models = new ModelListReader(findings, providers, configDir(source));
        GatewayConfig config;
        try {
            var deployments = models.read(root);
            var masterKey = settings.masterKey(root);
            var router = settings.router(root);
            var webSearch = settings.webSearch(root);
            var searchTools = settings.searchTools(root);
            var redis = settings.redis(root, configDir(source));
            warnAboutMissingFallbackGroups(router, deployments, findings);
            if (webSearch.searchToolName().isPresent()
                    && searchTools.stream()
                            .noneMatch(t ->
                                    t.name().equals(webSearch.searchToolName().get()))) {
                findings.problem("websearch_interception_params.search_tool_name: no search_tools entry is named '"
                        + webSearch.searchToolName().get() + "'");
            }
            config = new GatewayConfig(
                    deployments,
                    masterKey,
                    router,
                    webSearch,
                    searchTools,
                    models.webSearch(),
                    redis,
                    settings.operations(root, environment),
                    findings.warnings(),
                    providers,
                    settings.keys(root, masterKey, configDir(source)),
                    models.prices(),
                    models.trust(),
                    settings.serverTls(root, configDir(source)));
        } catch (ConfigException e) {
            // A value that cannot be read at all ends the reading; report it with what was found before it.
            Set<String> all = new LinkedHashSet<>(findings.problems());
            all.addAll(e.problems());
            throw new ConfigException(List.copyOf(all));
        }
        if (config.searchTools().isEmpty() && config.deployments().stream().anyMatch(config::intercepts)) {
            findings.problem("litellm_settings.callbacks: websearch_interception is on, but no search_tools entry"
                    + " says which engine runs the searches. Add one (search_provider: "
                    + String.join(", ", SearchProvider.webEngines())
                    + "), or search a local corpus with search_provider: offline and corpus: FILE");
        }
        if (!findings.problems().isEmpty()) {
            throw new ConfigException(findings.problems());
        }
        return config;
    }

    private static void warnAboutMissingFallbackGroups(
            RouterSettings router, List<Deployment> deployments, Findings findings) {
        Set<String> groups = new HashSet<>();
        deployments.forEach(d -> groups.add(d.group().value()));
        Map<String, List<String>> all = new LinkedHashMap<>();
        router.fallbacks().forEach((g, targets) -> all.merge(g, targets, ConfigLoader::concat));
        router.contextWindowFallbacks().forEach((g, targets) -> all.merge(g, targets, ConfigLoader::concat));
        router.contentPolicyFallbacks().forEach((g, targets) -> all.merge(g, targets, ConfigLoader::concat));
        all.merge("default_fallbacks", router.defaultFallbacks(), ConfigLoader::concat);
        all.forEach((group, targets) -> targets.stream()
                .filter(t -> !groups.contains(t))
                .distinct()
                .forEach(t -> findings.warn("router_settings: fallback '" + t + "' (for " + group
                        + ") is not a model_name in model_list; it is skipped")));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }
}
