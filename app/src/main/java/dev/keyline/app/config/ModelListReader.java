package dev.keyline.app.config;

import dev.keyline.adapters.providers.ProviderRegistry;
import dev.keyline.adapters.providers.common.AccountKind;
import dev.keyline.adapters.providers.common.DefaultBase;
import dev.keyline.adapters.providers.common.ProviderDescriptor;
import dev.keyline.adapters.providers.common.UpstreamTrust;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Continuation;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.keys.TokenPrices;
import dev.keyline.domain.keys.Usd;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Reads {@code model_list} into deployments, each bound to its own endpoint, key and headers. */
final class ModelListReader {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    private static final Set<String> ENTRY_KEYS = Set.of("model_name", "litellm_params", "model_info");
    private static final Set<String> PARAM_KEYS = withCloudKeys(
            "model",
            "api_base",
            "api_key",
            "custom_llm_provider",
            "extra_headers",
            "timeout",
            "stream_timeout",
            "rpm",
            "tpm",
            "max_parallel_requests",
            "weight",
            "order",
            "auth_scheme",
            "cooldown_time",
            "max_agentic_loops",
            "websearch_interception",
            "input_cost_per_token",
            "output_cost_per_token",
            "cache_creation_input_token_cost",
            "cache_read_input_token_cost",
            "supports_prefill",
            "continue_final_message",
            "ssl_verify");

    private static Set<String> withCloudKeys(String... keys) {
        Set<String> all = new TreeSet<>(Set.of(keys));
        all.addAll(CloudAccounts.AWS_KEYS);
        all.addAll(CloudAccounts.VERTEX_KEYS);
        return Set.copyOf(all);
    }

    /** LiteLLM settings Keyline accepts without acting on them yet; reported as such, not as typos. */
    private static final Set<String> PARAM_KEYS_NOT_YET_USED = Set.of(
            "max_retries", "num_retries", "tags", "drop_params", "api_version", "use_in_pass_through", "itpm", "otpm");

    private final Findings findings;
    private final ProviderRegistry providers;
    private final CloudAccounts clouds = new CloudAccounts();
    private final Map<DeploymentId, DeploymentWebSearch> webSearch = new LinkedHashMap<>();
    private final Map<DeploymentId, TokenPrices> prices = new LinkedHashMap<>();
    private final Map<DeploymentId, UpstreamTrust> trust = new LinkedHashMap<>();
    /** Where a relative {@code ssl_verify} bundle is found: the config file's folder. */
    private Path configDir = Path.of(".");

    ModelListReader(Findings findings, ProviderRegistry providers, Path configDir) {
        this(findings, providers);
        this.configDir = configDir;
    }

    ModelListReader(Findings findings, ProviderRegistry providers) {
        this.findings = findings;
        this.providers = providers;
    }

    List<Deployment> read(ConfigNode root) {
        if (!root.has("model_list")) {
            throw ConfigException.at("model_list", "required: list the deployments this gateway serves");
        }
        List<ConfigNode> entries = root.mappings("model_list");
        if (entries.isEmpty()) {
            throw ConfigException.at("model_list", "is empty: list at least one deployment");
        }
        Map<String, Integer> positionInGroup = new HashMap<>();
        List<Deployment> deployments = new ArrayList<>();
        for (ConfigNode entry : entries) {
            // Each entry is read on its own, so one unreadable deployment does not hide the others' problems.
            try {
                String group = entry.requireText("model_name").strip();
                if (group.isEmpty()) {
                    throw ConfigException.at(entry.child("model_name"), "must not be empty");
                }
                int position = positionInGroup.merge(group, 1, Integer::sum);
                read(entry, group, position).ifPresent(deployments::add);
            } catch (ConfigException e) {
                e.problems().forEach(findings::problem);
            }
        }
        if (deployments.isEmpty() && !findings.problems().isEmpty()) {
            throw new ConfigException(findings.problems());
        }
        if (deployments.isEmpty()) {
            throw ConfigException.at(
                    "model_list",
                    "no deployment uses a provider Keyline supports (" + String.join(", ", providers.names()) + ")");
        }
        return deployments;
    }

    private Optional<Deployment> read(ConfigNode entry, String group, int position) {
        findings.checkKeys(entry, ENTRY_KEYS, Findings.TypoRisk.MISDIRECTS);
        ConfigNode params = entry.requireMapping("litellm_params");
        // A slip here (api_bsae, apikey) would send this deployment's key or traffic somewhere it did not name.
        findings.checkKeys(params, PARAM_KEYS, PARAM_KEYS_NOT_YET_USED, Findings.TypoRisk.MISDIRECTS);

        String model = params.requireText("model").strip();
        Optional<String> explicitProvider = params.text("custom_llm_provider").map(String::strip);
        String provider =
                explicitProvider.orElseGet(() -> model.contains("/") ? model.substring(0, model.indexOf('/')) : "");
        String providerModel = model.startsWith(provider + "/") ? model.substring(provider.length() + 1) : model;
        if (provider.isEmpty()) {
            throw ConfigException.at(
                    params.child("model"),
                    "name the provider as 'provider/model' (e.g. anthropic/" + model + ") or set custom_llm_provider");
        }
        Optional<ProviderDescriptor> known = providers.find(provider);
        if (known.isEmpty()) {
            findings.warn(entry.path() + " (" + group + "): provider '" + provider
                    + "' is not supported by Keyline yet; this deployment is skipped");
            return Optional.empty();
        }
        ProviderDescriptor descriptor = known.orElseThrow();
        if (providerModel.isBlank()) {
            throw ConfigException.at(params.child("model"), "the model name after '" + provider + "/' is empty");
        }

        // Each setting is read on its own, so an entry with two problems (two unset variables, say) shows both.
        List<String> problems = new ArrayList<>();
        Optional<CloudAccounts.Access> access = attempt(problems, () -> access(params, descriptor, providerModel));
        Optional<ExtraHeaders> headers = attempt(problems, () -> extraHeaders(params));
        Optional<Duration> timeout =
                attempt(problems, () -> params.seconds("timeout", false).orElse(DEFAULT_TIMEOUT));
        Optional<Optional<Duration>> firstByte = attempt(problems, () -> params.seconds("stream_timeout", false));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Duration firstByteTimeout = firstByte.orElseThrow().orElse(timeout.orElseThrow());
        RoutingHints routing =
                routing(params, entry.mapping("model_info")).withContinuation(continuation(params, descriptor));
        DeploymentId id = deploymentId(entry, group, position);
        prices(params, entry.mapping("model_info")).ifPresent(p -> prices.put(id, p));
        trust(params, id).ifPresent(t -> trust.put(id, t));
        webSearch.put(
                id,
                new DeploymentWebSearch(
                        params.flag("websearch_interception"), params.positiveInt("max_agentic_loops")));
        try {
            return Optional.of(new Deployment(
                    id,
                    new ModelGroupName(group),
                    provider,
                    providerModel,
                    access.orElseThrow().endpoint(),
                    access.orElseThrow().credentials(),
                    access.orElseThrow().scheme(),
                    headers.orElseThrow(),
                    timeout.orElseThrow(),
                    firstByteTimeout,
                    routing));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(entry.path(), e.getMessage());
        }
    }

    /**
     * @return where the deployment goes and what authenticates it: its {@code api_base} and {@code api_key}, or its
     *         cloud account's own settings
     */
    private CloudAccounts.Access access(ConfigNode params, ProviderDescriptor descriptor, String providerModel) {
        AccountKind account = descriptor.protocol().account();
        if (account != AccountKind.AWS) {
            refuseKeysOfAnotherCloud(params, CloudAccounts.AWS_KEYS, descriptor);
        }
        if (account != AccountKind.GOOGLE_SERVICE_ACCOUNT) {
            refuseKeysOfAnotherCloud(params, CloudAccounts.VERTEX_KEYS, descriptor);
        }
        return switch (account) {
            case AWS -> clouds.aws(params);
            case GOOGLE_SERVICE_ACCOUNT -> clouds.google(params);
            case API_KEY -> keyed(params, descriptor, providerModel);
        };
    }

    /** A cloud key on another provider's deployment means the entry is not what its author thinks. */
    private static void refuseKeysOfAnotherCloud(ConfigNode params, Set<String> keys, ProviderDescriptor descriptor) {
        for (String key : new TreeSet<>(keys)) {
            if (params.has(key)) {
                throw ConfigException.at(
                        params.child(key), "is not a setting of " + descriptor.name() + " deployments");
            }
        }
    }

    private CloudAccounts.Access keyed(ConfigNode params, ProviderDescriptor descriptor, String providerModel) {
        List<String> problems = new ArrayList<>();
        Optional<Endpoint> endpoint = attempt(problems, () -> endpoint(params, descriptor, providerModel));
        Optional<Optional<String>> key = attempt(problems, () -> params.secret("api_key"));
        Optional<AuthScheme> scheme = attempt(problems, () -> authScheme(params, descriptor));
        Optional<Credentials> credentials = key.flatMap(k -> attempt(
                problems,
                () -> k.map(value -> credentials(params, value)).orElseGet(() -> {
                    endpoint.ifPresent(e -> findings.warn(params.path() + ": no api_key, so calls to " + e.origin()
                            + " carry no key (Keyline never falls back to ANTHROPIC_API_KEY)"));
                    return Credentials.none();
                })));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new CloudAccounts.Access(endpoint.orElseThrow(), credentials.orElseThrow(), scheme.orElseThrow());
    }

    /** @return the value read, or empty with its problems added to {@code problems} */
    private static <T> Optional<T> attempt(List<String> problems, Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return Optional.empty();
        }
    }

    /** @return the certificates each deployment whose {@code ssl_verify} is not the default must present */
    Map<DeploymentId, UpstreamTrust> trust() {
        return Map.copyOf(trust);
    }

    /**
     * {@code ssl_verify}: {@code true} (the default), a CA bundle's path (read now: a file that cannot be used stops
     * the start), or {@code false}, allowed per deployment and never silently: it is a warning that names it.
     */
    private Optional<UpstreamTrust> trust(ConfigNode params, DeploymentId id) {
        Optional<String> setting = params.text("ssl_verify");
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        UpstreamTrust read;
        try {
            read = UpstreamTrust.of(setting.get(), configDir);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(params.child("ssl_verify"), e.getMessage());
        }
        return switch (read) {
            case UpstreamTrust.Standard standard -> Optional.empty();
            case UpstreamTrust.PrivateCa ca -> Optional.of(ca);
            case UpstreamTrust.Unverified unverified -> {
                findings.warn(params.child("ssl_verify") + ": false: deployment " + id
                        + " accepts any certificate from its api_base; anyone on the network path can read its key");
                yield Optional.of(unverified);
            }
        };
    }

    /** @return the token prices of each deployment that has any */
    Map<DeploymentId, TokenPrices> prices() {
        return Map.copyOf(prices);
    }

    /**
     * LiteLLM's price keys, per token in US dollars, in {@code model_info} (first) or {@code litellm_params}; a cache
     * price not given is the input price.
     */
    private static Optional<TokenPrices> prices(ConfigNode params, Optional<ConfigNode> modelInfo) {
        Optional<Usd> input = price("input_cost_per_token", params, modelInfo);
        Optional<Usd> output = price("output_cost_per_token", params, modelInfo);
        Optional<Usd> write = price("cache_creation_input_token_cost", params, modelInfo);
        Optional<Usd> read = price("cache_read_input_token_cost", params, modelInfo);
        if (input.isEmpty() && output.isEmpty() && write.isEmpty() && read.isEmpty()) {
            return Optional.empty();
        }
        Usd in = input.orElse(Usd.ZERO);
        return Optional.of(new TokenPrices(in, output.orElse(Usd.ZERO), write.orElse(in), read.orElse(in)));
    }

    private static Optional<Usd> price(String key, ConfigNode params, Optional<ConfigNode> modelInfo) {
        ConfigNode from = modelInfo.filter(info -> info.has(key)).orElse(params);
        return from.text(key).map(text -> {
            try {
                return Usd.of(text);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw ConfigException.at(
                        from.child(key), "expected a price in US dollars per token (e.g. 3e-6), got '" + text + "'");
            }
        });
    }

    /** @return each read deployment's own web-search settings */
    Map<DeploymentId, DeploymentWebSearch> webSearch() {
        return Map.copyOf(webSearch);
    }

    /**
     * Without {@code api_base}, LiteLLM sends a deployment to its provider's own API. Keyline does so only where the
     * provider's descriptor says that cannot be a slip: the provider names one host ({@code deepseek}, a local
     * Ollama), or the model is the host's own ({@code anthropic/claude-…}, {@code openai/gpt-…}). Any other model
     * without a base means the base was forgotten or misspelled, and its key, meant for another host, would go to
     * Anthropic or OpenAI; a {@code hosted_vllm} deployment has no host but its own.
     */
    private Endpoint endpoint(ConfigNode params, ProviderDescriptor provider, String providerModel) {
        Optional<String> named = params.text("api_base").map(String::strip);
        String base = named.map(b -> withBareHostPath(b, provider)).orElseGet(() -> switch (provider.defaultBase()) {
            case DefaultBase.None none ->
                throw new ConfigException(List.of(params.path() + ": no api_base, so '" + providerModel
                        + "' has nowhere to go. Set api_base to the endpoint that serves it"));
            case DefaultBase.AnyModel any -> any.base();
            case DefaultBase.Cloud cloud ->
                throw new IllegalStateException("a cloud deployment's address comes from its account settings");
            case DefaultBase.OwnModels own -> {
                if (own.models().matcher(providerModel).lookingAt()) {
                    yield own.base();
                }
                throw new ConfigException(List.of(params.path() + ": no api_base, so '" + providerModel
                        + "' would be sent to " + own.base() + " with this deployment's key, and it is not "
                        + article(own.owner()) + " " + own.owner() + " model. Set api_base to the endpoint that"
                        + " serves it (or to " + own.base() + " to mean " + own.owner() + "'s API)"));
            }
        });
        try {
            return Endpoint.parse(base);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(params.child("api_base"), e.getMessage());
        }
    }

    private static String article(String owner) {
        return "AEIOU".indexOf(owner.charAt(0)) >= 0 ? "an" : "a";
    }

    /**
     * LiteLLM's {@code ollama_chat/} calls Ollama's native {@code /api/chat} under a bare host; Keyline speaks
     * Ollama's OpenAI API, under {@code /v1} of the same host, so an existing bare base keeps working.
     */
    private static String withBareHostPath(String base, ProviderDescriptor provider) {
        String trimmed = base.replaceAll("/+$", "");
        return provider.bareHostPath()
                .filter(path -> URI.create(trimmed).getPath().isEmpty())
                .map(path -> trimmed + path)
                .orElse(base);
    }

    private static AuthScheme authScheme(ConfigNode params, ProviderDescriptor provider) {
        Map<String, AuthScheme> accepted = provider.protocol().authSchemes();
        return params.text("auth_scheme")
                .map(name -> {
                    AuthScheme scheme = accepted.get(name.strip().toLowerCase(Locale.ROOT));
                    if (scheme == null) {
                        throw ConfigException.at(
                                params.child("auth_scheme"),
                                "expected " + String.join(" or ", new TreeSet<>(accepted.keySet()).descendingSet())
                                        + ", got '" + name + "'");
                    }
                    return scheme;
                })
                .orElse(provider.defaultAuth());
    }

    private static Credentials credentials(ConfigNode params, String key) {
        try {
            return Credentials.of(key);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(params.child("api_key"), e.getMessage());
        }
    }

    private static ExtraHeaders extraHeaders(ConfigNode params) {
        try {
            return new ExtraHeaders(params.stringMap("extra_headers"));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(params.child("extra_headers"), e.getMessage());
        }
    }

    private static RoutingHints routing(ConfigNode params, Optional<ConfigNode> modelInfo) {
        // LiteLLM reads cooldown_time from model_info first, then litellm_params.
        Optional<Duration> cooldownTime = modelInfo
                .flatMap(info -> info.seconds("cooldown_time", true))
                .or(() -> params.seconds("cooldown_time", true));
        return new RoutingHints(
                params.positiveInt("weight").orElse(1),
                params.positiveInt("order"),
                params.positiveInt("rpm"),
                params.positiveInt("tpm"),
                params.positiveInt("max_parallel_requests"),
                cooldownTime);
    }

    /**
     * How the deployment continues a broken answer: its protocol's way, unless it refuses prefill
     * ({@code supports_prefill: false}) or is an OpenAI-compatible server that continues a final assistant message
     * when asked ({@code continue_final_message: true}, vLLM's request field).
     */
    private static Continuation continuation(ConfigNode params, ProviderDescriptor descriptor) {
        Continuation byProtocol = descriptor.protocol().continuation();
        Optional<Boolean> prefill = params.flag("supports_prefill");
        Optional<Boolean> continueFinal = params.flag("continue_final_message");
        if (continueFinal.orElse(false)) {
            if (byProtocol != Continuation.NONE) {
                throw ConfigException.at(
                        params.child("continue_final_message"),
                        "is a setting of OpenAI-compatible deployments; a " + descriptor.name()
                                + " deployment continues by prefill (supports_prefill: false turns that off)");
            }
            return prefill.orElse(true) ? Continuation.CONTINUE_FINAL_MESSAGE : Continuation.NONE;
        }
        if (prefill.isPresent() && prefill.get() && byProtocol == Continuation.NONE) {
            throw ConfigException.at(
                    params.child("supports_prefill"),
                    "an OpenAI-compatible server continues an answer only with continue_final_message: true");
        }
        return prefill.orElse(true) ? byProtocol : Continuation.NONE;
    }

    private static DeploymentId deploymentId(ConfigNode entry, String group, int position) {
        Optional<String> configured =
                entry.mapping("model_info").flatMap(info -> info.text("id")).map(String::strip);
        String id = configured.orElse(group + "-" + position);
        try {
            return new DeploymentId(configured.isPresent() ? id : id.replaceAll("\\s", "_"));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(entry.child("model_info.id"), e.getMessage());
        }
    }
}
