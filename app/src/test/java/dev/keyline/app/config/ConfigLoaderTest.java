package dev.keyline.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.adapters.state.redis.RedisEndpoint;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.FallbackTrigger;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.routing.RoutingStrategy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String TENCENT_KEY = "sk-tencent-9c1e55";
    private static final Map<String, String> ENV = Map.of(
            "TENCENT_API_KEY", TENCENT_KEY,
            "ANTHROPIC_API_KEY", "sk-ant-decoy",
            "ANTHROPIC_BASE_URL", "http://decoy.invalid",
            "GATEWAY_KEY", "sk-gw-1",
            "REDIS_PASSWORD", "redis-secret-77");

    /**
     * The configuration from the user report that started this project; only api_base and the key differ, and it
     * names the engine that runs the searches, which Keyline requires.
     */
    static final String KIMI_CONFIG = """
            model_list:
              - model_name: kimi-k2.5-tencent-claude
                litellm_params:
                  model: anthropic/kimi-k2.5
                  api_base: https://api.lkeap.cloud.tencent.com/plan/anthropic
                  api_key: os.environ/TENCENT_API_KEY
                  custom_llm_provider: anthropic

            litellm_settings:
              callbacks: ["websearch_interception"]
              websearch_interception_params:
                enabled_providers: ["anthropic"]

            search_tools:
              - search_tool_name: searxng
                litellm_params: {search_provider: searxng, api_base: "http://127.0.0.1:8888"}
            """;

    private final ConfigLoader loader = new ConfigLoader(ENV);

    @Test
    void theUsersKimiConfig_loadsUnchanged() {
        GatewayConfig config = loader.parse(KIMI_CONFIG, "config.yaml");

        Deployment kimi = config.deployments().getFirst();
        assertEquals("kimi-k2.5-tencent-claude", kimi.group().value());
        assertEquals("anthropic", kimi.provider());
        assertEquals("kimi-k2.5", kimi.providerModel());
        assertEquals(
                URI.create("https://api.lkeap.cloud.tencent.com/plan/anthropic"),
                kimi.endpoint().base());
        assertEquals(TENCENT_KEY, kimi.credentials().reveal().orElseThrow());
        assertEquals(AuthScheme.X_API_KEY, kimi.authScheme());
        assertEquals("kimi-k2.5-tencent-claude-1", kimi.id().value());
        assertTrue(config.webSearch().enabled());
        assertEquals(List.of("anthropic"), config.webSearch().enabledProviders());
        assertEquals(3, config.webSearch().maxAgenticLoops());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void everyDocumentedField_isRead() {
        GatewayConfig config = loader.parse("""
                model_list:
                  - model_name: claude-sonnet
                    litellm_params:
                      model: claude-sonnet-4-5
                      custom_llm_provider: anthropic
                      api_base: http://127.0.0.1:8101/a/
                      api_key: sk-inline
                      auth_scheme: bearer
                      extra_headers: {X-Tenant: t-1, anthropic-beta: context-1m}
                      timeout: 12.5
                      rpm: 600
                      tpm: 100000
                      weight: 3
                      order: 2
                    model_info:
                      id: sonnet-eu
                      base_model: claude-sonnet-4-5
                  - model_name: claude-sonnet
                    litellm_params:
                      model: anthropic/claude-sonnet-4-5
                      api_base: http://127.0.0.1:8102
                      api_key: os.environ/GATEWAY_KEY
                router_settings:
                  routing_strategy: least-busy
                  num_retries: 4
                  cooldown_time: 30
                  allowed_fails: 2
                  allowed_fails_policy: {RateLimitErrorAllowedFails: 5}
                  fallbacks: [{claude-sonnet: [kimi, qwen]}]
                  context_window_fallbacks: [{claude-sonnet: [claude-long]}]
                  default_fallbacks: [kimi]
                  max_fallbacks: 3
                general_settings:
                  master_key: os.environ/GATEWAY_KEY
                callback_settings:
                  websearch_interception:
                    enabled_providers: [anthropic]
                    search_tool_name: my-searxng
                    max_agentic_loops: 5
                search_tools:
                  - search_tool_name: my-searxng
                    litellm_params:
                      search_provider: searxng
                      api_base: http://127.0.0.1:8888
                      timeout: 4
                      categories: general
                """, "config.yaml");

        Deployment first = config.deployments().get(0);
        assertEquals("sonnet-eu", first.id().value());
        assertEquals("claude-sonnet-4-5", first.providerModel());
        assertEquals(AuthScheme.BEARER, first.authScheme());
        assertEquals(
                Map.of("x-tenant", "t-1", "anthropic-beta", "context-1m"),
                first.extraHeaders().values());
        assertEquals(Duration.ofMillis(12_500), first.timeout());
        assertEquals(3, first.routing().weight());
        assertEquals(2, first.routing().order().getAsInt());
        assertEquals(600, first.routing().rpm().getAsInt());
        assertEquals("claude-sonnet-2", config.deployments().get(1).id().value());
        assertEquals(Duration.ofSeconds(600), config.deployments().get(1).timeout());
        assertTrue(config.masterKey().matches("sk-gw-1"));

        RouterSettings router = config.router();
        assertEquals("least-busy", router.routingStrategy());
        assertEquals(4, router.numRetries());
        assertEquals(Duration.ofSeconds(30), router.cooldownTime());
        assertEquals(2, router.allowedFails().getAsInt());
        assertEquals(Map.of("RateLimitErrorAllowedFails", 5), router.allowedFailsPolicy());
        assertEquals(Map.of("claude-sonnet", List.of("kimi", "qwen")), router.fallbacks());
        assertEquals(List.of("kimi"), router.defaultFallbacks());
        assertEquals(3, router.maxFallbacks());

        assertFalse(config.webSearch().enabled(), "parameters alone do not turn the callback on");
        assertEquals("my-searxng", config.webSearch().searchToolName().orElseThrow());
        assertEquals(5, config.webSearch().maxAgenticLoops());
        SearchToolSettings searxng = config.searchTools().getFirst();
        assertEquals("searxng", searxng.provider());
        assertEquals(Map.of("categories", "general"), searxng.params());
        assertEquals(Duration.ofSeconds(4), searxng.timeout());
    }

    @Test
    void routerSettings_becomeTheRoutersRules() {
        GatewayConfig config = loader.parse("""
                model_list:
                  - model_name: a
                    litellm_params: {model: anthropic/m, api_base: "http://127.0.0.1:8101", api_key: sk-1, cooldown_time: 7}
                    model_info: {cooldown_time: 0}
                  - model_name: a
                    litellm_params: {model: anthropic/m, api_base: "http://127.0.0.1:8102", api_key: sk-2, cooldown_time: 9}
                  - model_name: b
                    litellm_params: {model: anthropic/m, api_base: "http://127.0.0.1:8103", api_key: sk-3}
                router_settings:
                  routing_strategy: least-busy
                  num_retries: 1
                  cooldown_time: 12
                  allowed_fails_policy: {RateLimitErrorAllowedFails: 2, BadRequestErrorAllowedFails: 9}
                  fallbacks: [{a: [b, ghost]}]
                """, "c.yaml");

        RouterRules rules = config.router().toRules();
        assertEquals(RoutingStrategy.LEAST_BUSY, rules.strategy());
        assertEquals(1, rules.retries().numRetries());
        assertEquals(Duration.ofSeconds(12), rules.cooldowns().defaultCooldown());
        assertEquals(
                Map.of(FailureClass.RATE_LIMIT, 2, FailureClass.BAD_REQUEST, 9),
                rules.cooldowns().allowedFailsPolicy());
        assertEquals(
                List.of(new ModelGroupName("b"), new ModelGroupName("ghost")),
                rules.fallbacks().after(new ModelGroupName("a"), FallbackTrigger.UNAVAILABLE));
        assertEquals(
                Optional.of(Duration.ZERO),
                config.deployments().get(0).routing().cooldownTime(),
                "model_info wins over litellm_params");
        assertEquals(
                Optional.of(Duration.ofSeconds(9)),
                config.deployments().get(1).routing().cooldownTime());
        String warnings = String.join("\n", config.warnings());
        assertTrue(warnings.contains("fallback 'ghost' (for a) is not a model_name"), warnings);
        assertTrue(warnings.contains("BadRequestErrorAllowedFails: Keyline never cools"), warnings);
    }

    @Test
    void aStrategyKeylineDoesNotImplement_warnsAndShuffles() {
        GatewayConfig config =
                loader.parse(KIMI_CONFIG + "router_settings: {routing_strategy: latency-based-routing}\n", "c.yaml");

        assertEquals(RoutingStrategy.SIMPLE_SHUFFLE, config.router().toRules().strategy());
        assertTrue(config.warnings().getFirst().contains("'latency-based-routing' is not implemented"));
    }

    @Test
    void anUnknownAllowedFailsKey_isAnErrorListingTheKnownOnes() {
        ConfigException error = assertThrows(
                ConfigException.class,
                () -> loader.parse(
                        KIMI_CONFIG + "router_settings: {allowed_fails_policy: {RateLimitAllowedFails: 1}}\n",
                        "c.yaml"));

        assertTrue(
                error.getMessage()
                        .startsWith("router_settings.allowed_fails_policy.RateLimitAllowedFails: "
                                + "unknown failure class; expected one of RateLimitErrorAllowedFails"),
                error.getMessage());
    }

    @Test
    void interception_followsTheCallback_theProviders_andEachDeploymentsOwnChoice() {
        GatewayConfig config = loader.parse("""
                model_list:
                  - model_name: kimi
                    litellm_params: {model: anthropic/kimi-k2.5, api_base: "http://127.0.0.1:8101", api_key: sk-1,
                                     max_agentic_loops: 6}
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5, api_key: sk-2, websearch_interception: false}
                litellm_settings:
                  callbacks: websearch_interception
                  websearch_interception_params: {max_agentic_loops: 2}
                search_tools:
                  - search_tool_name: local
                    litellm_params: {search_provider: offline, corpus: docs.jsonl}
                """, "c.yaml");

        Deployment kimi = config.deployments().get(0);
        Deployment claude = config.deployments().get(1);
        assertTrue(config.intercepts(kimi), "no enabled_providers: every provider");
        assertFalse(config.intercepts(claude), "a deployment may opt out, e.g. real Anthropic running its own search");
        assertEquals(6, config.maxAgenticLoops(kimi), "the deployment's own limit wins");
        assertEquals(2, config.maxAgenticLoops(claude));
    }

    @Test
    void interception_isOffWithoutTheCallback_andLimitedToItsProviders() {
        GatewayConfig off =
                loader.parse(KIMI_CONFIG.replace("callbacks: [\"websearch_interception\"]", "callbacks: []"), "c.yaml");
        GatewayConfig otherProvider = loader.parse(
                KIMI_CONFIG.replace("enabled_providers: [\"anthropic\"]", "enabled_providers: [\"bedrock\"]"),
                "c.yaml");

        assertFalse(off.intercepts(off.deployments().getFirst()));
        assertFalse(otherProvider.intercepts(otherProvider.deployments().getFirst()));
        assertTrue(
                loader.parse(KIMI_CONFIG, "c.yaml").intercepts(off.deployments().getFirst()));
    }

    @Test
    void aSearchToolNameWithoutItsEntry_stopsTheStart() {
        ConfigException error = assertThrows(
                ConfigException.class,
                () -> loader.parse(
                        KIMI_CONFIG.replace(
                                "enabled_providers: [\"anthropic\"]",
                                "enabled_providers: [\"anthropic\"]\n    search_tool_name: tavily"),
                        "c.yaml"));

        assertTrue(error.getMessage().contains("no search_tools entry is named 'tavily'"), error.getMessage());
    }

    @Test
    void defaults_areLiteLlms() {
        GatewayConfig config = loader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: anthropic/claude-haiku-4-5, api_key: sk-1}
                """, "c.yaml");

        assertEquals(RouterSettings.defaults(), config.router());
        assertEquals(RouterRules.defaults(), config.router().toRules());
        assertEquals(
                URI.create("https://api.anthropic.com"),
                config.deployments().getFirst().endpoint().base());
        assertFalse(config.masterKey().isPresent());
        assertFalse(config.webSearch().enabled());
    }

    @Test
    void aMissingEnvironmentVariable_isAStartupErrorNamingTheKeyPath() {
        ConfigException error =
                assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).parse(KIMI_CONFIG, "config.yaml"));

        assertEquals(
                "model_list[0].litellm_params.api_key: environment variable TENCENT_API_KEY is not set",
                error.getMessage());
    }

    @Test
    void environmentVariablesFromTheFile_canSupplyReferences() {
        GatewayConfig config = new ConfigLoader(Map.of())
                .parse(KIMI_CONFIG + "environment_variables:\n  TENCENT_API_KEY: sk-from-file\n", "config.yaml");

        assertEquals(
                "sk-from-file",
                config.deployments().getFirst().credentials().reveal().orElseThrow());
    }

    @Test
    void noKey_meansNoKey_neverTheAnthropicEnvironmentVariables() {
        GatewayConfig config = loader.parse("""
                model_list:
                  - model_name: local
                    litellm_params: {model: anthropic/qwen3, api_base: http://127.0.0.1:9000}
                """, "c.yaml");

        assertFalse(config.deployments().getFirst().credentials().isPresent());
        assertTrue(
                config.warnings().getFirst().contains("no api_key"),
                config.warnings().toString());
    }

    @Test
    void virtualKeys_needTheMasterKey_aDatabaseUrlThatSaysWhere_andReadLiteLlmsPrices() {
        ConfigException noMaster = assertThrows(ConfigException.class, () -> loader.parse(KIMI_CONFIG + """
                general_settings:
                  database_url: postgresql://keyline:secret-pw@db:5432/keys
                """, "c.yaml"));
        assertTrue(
                noMaster.getMessage()
                        .contains("general_settings.database_url: virtual keys need" + " general_settings.master_key"),
                noMaster.getMessage());
        ConfigException badUrl = assertThrows(ConfigException.class, () -> loader.parse(KIMI_CONFIG + """
                general_settings:
                  master_key: sk-1
                  database_url: mysql://keyline:secret-pw@db/keys
                """, "c.yaml"));
        assertTrue(badUrl.getMessage().contains("must start with postgresql://"), badUrl.getMessage());
        assertFalse(badUrl.getMessage().contains("secret-pw"), "a password is never echoed");

        GatewayConfig priced =
                loader.parse(KIMI_CONFIG.replace("custom_llm_provider: anthropic", """
                custom_llm_provider: anthropic
                      input_cost_per_token: 3e-6
                      cache_read_input_token_cost: 3e-7
                    model_info:
                      output_cost_per_token: 1.5e-5""") + """
                general_settings:
                  master_key: sk-1
                """, "/srv/keyline/c.yaml");
        assertTrue(priced.keys().enabled());
        assertEquals(
                java.nio.file.Path.of("/srv/keyline/keyline-keys.db"),
                priced.keys().embeddedFile());
        dev.keyline.domain.keys.TokenPrices prices =
                priced.prices().values().iterator().next();
        assertEquals(dev.keyline.domain.keys.Usd.of("3e-6"), prices.input());
        assertEquals(dev.keyline.domain.keys.Usd.of("1.5e-5"), prices.output());
        assertEquals(dev.keyline.domain.keys.Usd.of("3e-6"), prices.cacheWrite(), "the input price when not set");
        assertEquals(dev.keyline.domain.keys.Usd.of("3e-7"), prices.cacheRead());
        assertFalse(loader.parse(KIMI_CONFIG, "c.yaml").keys().enabled(), "no master key, no virtual keys");
    }

    @Test
    void unknownKeys_areReportedOnce_withTheirPaths_andAreNotFatal() {
        String withTypos = KIMI_CONFIG.replace(
                "custom_llm_provider: anthropic",
                "custom_llm_provider: anthropic\n      drop_params: true\n      region_name: eu");
        GatewayConfig config = loader.parse(withTypos + """
                general_settings:
                  master_key: sk-1
                  database_connection_pool_limit: 10
                telemetry: false
                """, "c.yaml");

        assertEquals(1, config.warnings().size(), config.warnings().toString());
        String warning = config.warnings().getFirst();
        assertTrue(warning.contains("telemetry"), warning);
        assertTrue(warning.contains("general_settings.database_connection_pool_limit"), warning);
        assertTrue(warning.contains("model_list[0].litellm_params.region_name"), warning);
        assertTrue(
                warning.contains("model_list[0].litellm_params.drop_params (accepted, not used by Keyline yet)"),
                warning);
    }

    @Test
    void streamTimeout_boundsTheFirstEvent_andRequestDeadline_theRetries() {
        GatewayConfig config = loader.parse(
                KIMI_CONFIG.replace(
                                "custom_llm_provider: anthropic",
                                "custom_llm_provider: anthropic\n      timeout: 120\n      stream_timeout: 7.5")
                        + """
                router_settings:
                  request_deadline: 90
                """,
                "c.yaml");

        Deployment deployment = config.deployments().getFirst();
        assertEquals(Duration.ofSeconds(120), deployment.timeout());
        assertEquals(Duration.ofMillis(7_500), deployment.firstByteTimeout());
        assertEquals(Duration.ofSeconds(90), config.router().toRules().deadline());
        assertEquals(
                Duration.ofSeconds(600),
                loader.parse(KIMI_CONFIG, "c.yaml").deployments().getFirst().firstByteTimeout(),
                "without stream_timeout, the timeout (600 s by default)");
    }

    @Test
    void redis_isReadFromLiteLlmsKeys_orAUrl_withThePasswordFromTheEnvironment_andLimitsFromTheDeployment() {
        GatewayConfig config = loader.parse(KIMI_CONFIG.replace("custom_llm_provider: anthropic", """
                        custom_llm_provider: anthropic
                              rpm: 60
                              tpm: 100000
                              max_parallel_requests: 8""") + """
                        router_settings:
                          redis_host: redis.internal
                          redis_port: 6380
                          redis_password: os.environ/REDIS_PASSWORD
                          redis_key_prefix: team-a
                          redis_timeout: 0.05
                        """, "c.yaml");

        RedisEndpoint redis = config.redis().orElseThrow();
        assertEquals("redis://redis.internal:6380", redis.address());
        assertEquals(Optional.of("redis-secret-77"), redis.password());
        assertEquals("team-a", redis.keyPrefix());
        assertEquals(Duration.ofMillis(50), redis.timeout());
        assertFalse(redis.toString().contains("redis-secret-77"));
        RoutingHints limits = config.deployments().getFirst().routing();
        assertEquals(OptionalInt.of(60), limits.rpm());
        assertEquals(OptionalInt.of(100_000), limits.tpm());
        assertEquals(OptionalInt.of(8), limits.maxParallelRequests());

        RedisEndpoint fromUrl = loader.parse(
                        KIMI_CONFIG + "router_settings:\n  redis_url: rediss://:s3cret@cache.internal:6390/2\n",
                        "c.yaml")
                .redis()
                .orElseThrow();
        assertEquals("rediss://cache.internal:6390/2", fromUrl.address());
        assertEquals(Optional.of("s3cret"), fromUrl.password());
        assertEquals(Optional.empty(), loader.parse(KIMI_CONFIG, "c.yaml").redis(), "no Redis: one process");
    }

    @Test
    void aRedisSettingThatCannotWork_stopsTheStart_withoutShowingThePassword() {
        ConfigException both = assertThrows(
                ConfigException.class,
                () -> loader.parse(
                        KIMI_CONFIG + "router_settings:\n  redis_url: redis://h:1\n  redis_host: h\n", "c.yaml"));
        assertEquals(List.of("router_settings.redis_url: give redis_url or redis_host, not both"), both.problems());

        ConfigException scheme = assertThrows(
                ConfigException.class,
                () -> loader.parse(KIMI_CONFIG + "router_settings:\n  redis_url: http://:hunter2@h:1\n", "c.yaml"));
        assertFalse(scheme.getMessage().contains("hunter2"), scheme.getMessage());

        ConfigException orphan = assertThrows(
                ConfigException.class,
                () -> loader.parse(KIMI_CONFIG + "router_settings:\n  redis_port: 6379\n", "c.yaml"));
        assertEquals(List.of("router_settings.redis_port: set redis_host (or redis_url) too"), orphan.problems());
    }

    @Test
    void aMisspelledApiBase_stopsTheStart_soTheKeyNeverGoesToTheDefaultHost() {
        ConfigException error = assertThrows(
                ConfigException.class,
                () -> loader.parse(
                        KIMI_CONFIG.replace("api_base: https://api.lkeap", "api_bsae: https://api.lkeap"), "c.yaml"));

        assertEquals(
                List.of(
                        "model_list[0].litellm_params.api_bsae: unknown setting; did you mean api_base?",
                        "model_list[0].litellm_params: no api_base, so 'kimi-k2.5' would be sent to"
                                + " https://api.anthropic.com with this deployment's key, and it is not an Anthropic"
                                + " model. Set api_base to the endpoint that serves it (or to https://api.anthropic.com"
                                + " to mean Anthropic's API)"),
                error.problems());
        assertTrue(error.getMessage().endsWith("(and 1 more: keyline check --config FILE lists them all)"));
        assertFalse(error.getMessage().contains(TENCENT_KEY));
    }

    @Test
    void slipsInCaseOrDashes_andNearMisses_areCaughtWhereTheyMoveKeysOrTraffic() {
        ConfigException error = assertThrows(ConfigException.class, () -> loader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: anthropic/claude-haiku-4-5, API_KEY: sk-1, Api-Base: "http://127.0.0.1:9"}
                router_setings: {fallbacks: []}
                general_settings: {master_kye: sk-gateway}
                search_tools:
                  - search_tool_name: tavily
                    litellm_params: {search_provider: tavily, api_kye: tvly-1}
                """, "c.yaml"));

        assertEquals(
                List.of(
                        "router_setings: unknown setting; did you mean router_settings?",
                        "model_list[0].litellm_params.API_KEY: unknown setting; did you mean api_key?",
                        "model_list[0].litellm_params.Api-Base: unknown setting; did you mean api_base?",
                        "general_settings.master_kye: unknown setting; did you mean master_key?",
                        "search_tools[0].litellm_params.api_kye: unknown setting; did you mean api_key?"),
                error.problems());
    }

    @Test
    void aMisspelledCallbackOrSection_thatOnlyTurnsAFeatureOff_isAWarningThatSaysSo() {
        GatewayConfig config = loader.parse(
                KIMI_CONFIG
                        .replace("callbacks: [\"websearch_interception\"]", "callbacks: [\"websearch_intercept\"]")
                        .replace("websearch_interception_params:", "websearch_interception_param:"),
                "c.yaml");

        assertFalse(config.intercepts(config.deployments().getFirst()));
        String warnings = String.join("\n", config.warnings());
        assertTrue(
                warnings.contains("litellm_settings.callbacks: 'websearch_intercept' is not a callback Keyline runs;"
                        + " ignored; did you mean websearch_interception? Web-search interception is off"),
                warnings);
        assertTrue(
                warnings.contains("litellm_settings.websearch_interception_param: unknown setting, ignored; did you"
                        + " mean websearch_interception_params?"),
                warnings);
    }

    @Test
    void withoutApiBase_onlyAnthropicsOwnModelsGoToAnthropicsApi() {
        GatewayConfig claude = loader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: anthropic/claude-haiku-4-5, api_key: sk-1}
                """, "c.yaml");
        ConfigException other = assertThrows(ConfigException.class, () -> loader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: anthropic/qwen3-coder-plus, api_key: sk-1}
                """, "c.yaml"));

        assertEquals(
                URI.create("https://api.anthropic.com"),
                claude.deployments().getFirst().endpoint().base());
        assertTrue(
                other.getMessage().contains("no api_base, so 'qwen3-coder-plus' would be sent to"), other.getMessage());
    }

    @Test
    void chatCompletionsProviders_presentTheirKeyAsBearer_andGoWithoutApiBaseOnlyWhereTheProviderNamesItsHost() {
        GatewayConfig config = loader.parse("""
                model_list:
                  - model_name: local
                    litellm_params: {model: hosted_vllm/qwen3, api_base: "http://10.0.0.5:8000/v1", api_key: sk-1}
                  - model_name: gpt
                    litellm_params: {model: openai/gpt-4o-mini, api_key: sk-2}
                  - model_name: fast
                    litellm_params: {model: groq/llama-3.3-70b, api_key: sk-3}
                  - model_name: ollama
                    litellm_params: {model: ollama_chat/qwen3, api_base: "http://127.0.0.1:11434"}
                  - model_name: custom
                    litellm_params: {model: kimi-k2, custom_llm_provider: openai, api_base: "https://k.example/v1"}
                """, "c.yaml");

        List<Deployment> deployments = config.deployments();
        assertEquals(AuthScheme.BEARER, deployments.get(0).authScheme());
        assertEquals("hosted_vllm", deployments.get(0).provider());
        assertEquals(
                URI.create("https://api.openai.com/v1"),
                deployments.get(1).endpoint().base());
        assertEquals(
                URI.create("https://api.groq.com/openai/v1"),
                deployments.get(2).endpoint().base());
        assertEquals(
                URI.create("http://127.0.0.1:11434/v1"),
                deployments.get(3).endpoint().base());
        assertEquals("openai", deployments.get(4).provider());
        assertEquals("kimi-k2", deployments.get(4).providerModel());

        ConfigException vllm = assertThrows(ConfigException.class, () -> loader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: hosted_vllm/qwen3, api_key: sk-1}
                """, "c.yaml"));
        ConfigException notOpenAis = assertThrows(ConfigException.class, () -> loader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: openai/kimi-k2, api_key: sk-1}
                """, "c.yaml"));
        assertTrue(vllm.getMessage().contains("no api_base, so 'qwen3' has nowhere to go"), vllm.getMessage());
        assertTrue(
                notOpenAis.getMessage().contains("would be sent to https://api.openai.com/v1"),
                notOpenAis.getMessage());
    }

    /** The registry's data-only entries (docs/extending.md): each is LiteLLM's prefix with its host's API. */
    @Test
    void openAiCompatibleHostsAddedAsRegistryData_goToTheirOwnApi_withTheirKeyAsBearer() {
        GatewayConfig config = loader.parse("""
                model_list:
                  - model_name: grok
                    litellm_params: {model: xai/grok-4, api_key: sk-1}
                  - model_name: together
                    litellm_params: {model: together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo, api_key: sk-2}
                  - model_name: fireworks
                    litellm_params: {model: fireworks_ai/accounts/fireworks/models/kimi-k2-instruct, api_key: sk-3}
                """, "c.yaml");

        List<Deployment> deployments = config.deployments();
        assertEquals(
                URI.create("https://api.x.ai/v1"), deployments.get(0).endpoint().base());
        assertEquals(
                URI.create("https://api.together.xyz/v1"),
                deployments.get(1).endpoint().base());
        assertEquals(
                "meta-llama/Llama-3.3-70B-Instruct-Turbo", deployments.get(1).providerModel());
        assertEquals(
                URI.create("https://api.fireworks.ai/inference/v1"),
                deployments.get(2).endpoint().base());
        deployments.forEach(d -> assertEquals(AuthScheme.BEARER, d.authScheme(), d.id().value()));
    }

    @Test
    void interceptionWithoutASearchEngine_stopsTheStart_andTheOfflineEngineNeedsACorpus() {
        String noEngine = KIMI_CONFIG.substring(0, KIMI_CONFIG.indexOf("search_tools:"));
        ConfigException missing = assertThrows(ConfigException.class, () -> loader.parse(noEngine, "c.yaml"));
        ConfigException noCorpus = assertThrows(ConfigException.class, () -> loader.parse(noEngine + """
                search_tools:
                  - search_tool_name: local
                    litellm_params: {search_provider: offline}
                """, "c.yaml"));

        assertTrue(
                missing.getMessage()
                        .startsWith("litellm_settings.callbacks: websearch_interception is on, but no"
                                + " search_tools entry says which engine runs the searches"),
                missing.getMessage());
        assertEquals(
                List.of("search_tools[0].litellm_params: the offline engine needs corpus: FILE (a JSON Lines file of"
                        + " url, title, text); the bundled corpus is the demo's"),
                noCorpus.problems());
        GatewayConfig off =
                loader.parse(noEngine.replace("callbacks: [\"websearch_interception\"]", "callbacks: []"), "c.yaml");
        assertFalse(off.intercepts(off.deployments().getFirst()), "without interception no engine is needed");
    }

    @Test
    void aProviderKeylineCannotCallYet_isSkippedWithAWarning() {
        GatewayConfig config = loader.parse(KIMI_CONFIG.replace("model_list:\n", """
                model_list:
                  - model_name: command
                    litellm_params: {model: cohere/command-r, api_key: sk-co}
                """), "c.yaml");

        assertEquals(1, config.deployments().size());
        assertTrue(config.warnings().getFirst().contains("provider 'cohere' is not supported"));
    }

    @Test
    void aCloudDeploymentWithoutItsOwnAccount_stopsTheStart_namingTheMissingKey_neverTheHostsIdentity() {
        assertMessage(
                "model_list[0].litellm_params: a bedrock deployment needs its own aws_access_key_id and"
                        + " aws_secret_access_key (or api_key, a Bedrock API key); Keyline never uses the host's cloud"
                        + " identity (environment, profiles, credential files, metadata servers)",
                cloud("{model: bedrock/anthropic.claude-3-5-haiku-20241022-v1:0, aws_region_name: us-east-1}"));
        assertMessage(
                "model_list[0].litellm_params: a bedrock deployment needs its own aws_secret_access_key; Keyline"
                        + " never uses the host's cloud identity (environment, profiles, credential files, metadata"
                        + " servers)",
                cloud("{model: bedrock/m, aws_region_name: us-east-1, aws_access_key_id: AKIAEXAMPLEEXAMPLE1}"));
        assertMessage(
                "model_list[0].litellm_params.aws_region_name: required for a bedrock deployment (Keyline never reads"
                        + " AWS_REGION)",
                cloud("{model: bedrock/m, api_key: bedrock-key}"));
        assertMessage(
                "model_list[0].litellm_params.aws_profile_name: not supported; name the deployment's own keys"
                        + " (aws_access_key_id and aws_secret_access_key, or api_key). Keyline never uses the host's"
                        + " cloud identity (environment, profiles, credential files, metadata servers)",
                cloud("{model: bedrock/m, aws_region_name: us-east-1, aws_profile_name: prod, api_key: k}"));
        assertMessage(
                "model_list[0].litellm_params.vertex_credentials: required: the deployment's own service account key"
                        + " (JSON, or a path to it); Keyline never uses the host's cloud identity (environment,"
                        + " profiles, credential files, metadata servers)",
                cloud("{model: vertex_ai/claude-sonnet-4-5, vertex_project: p, vertex_location: us-east5}"));
        assertMessage(
                "model_list[0].litellm_params.auth_scheme: a bedrock deployment signs with its AWS keys, or sends its"
                        + " Bedrock API key as Bearer; there is no scheme to choose",
                cloud("{model: bedrock/m, aws_region_name: us-east-1, api_key: k, auth_scheme: x-api-key}"));
        assertMessage(
                "model_list[0].litellm_params.aws_region_name: is not a setting of anthropic deployments",
                cloud("{model: anthropic/claude-sonnet-4-5, api_key: k, aws_region_name: us-east-1}"));
    }

    @Test
    void cloudDeployments_readTheirAccounts_intoWhereTheyGoAndHowTheyAuthenticate() {
        String vertexKey = "'{\"type\":\"service_account\",\"project_id\":\"proj-1\","
                + "\"client_email\":\"a@b.iam.gserviceaccount.com\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAA\\n"
                + "-----END PRIVATE KEY-----\\n\"}'";
        GatewayConfig config = loader.parse(
                "model_list:\n"
                        + "  - model_name: b\n"
                        + "    litellm_params:\n"
                        + "      model: bedrock/global.anthropic.claude-sonnet-4-5-20250929-v1:0\n"
                        + "      aws_region_name: eu-central-1\n"
                        + "      aws_access_key_id: AKIAEXAMPLEEXAMPLE1\n"
                        + "      aws_secret_access_key: s3cr3t\n"
                        + "      aws_session_token: t0k3n\n"
                        + "  - model_name: v\n"
                        + "    litellm_params:\n"
                        + "      model: vertex_ai/claude-sonnet-4-5@20250929\n"
                        + "      vertex_location: global\n"
                        + "      vertex_credentials: " + vertexKey + "\n",
                "c.yaml");

        Deployment bedrock = config.deployments().get(0);
        assertEquals(
                "https://bedrock-runtime.eu-central-1.amazonaws.com",
                bedrock.endpoint().base().toString());
        AuthScheme.AwsSignature signature = assertInstanceOf(AuthScheme.AwsSignature.class, bedrock.authScheme());
        assertEquals("eu-central-1", signature.region());
        assertEquals("bedrock", signature.service());
        assertFalse(bedrock.toString().contains("s3cr3t") || bedrock.toString().contains("t0k3n"), bedrock.toString());
        assertEquals("the key ****, the token ****", bedrock.redactSecrets("the key s3cr3t, the token t0k3n"));
        Deployment vertex = config.deployments().get(1);
        assertEquals(
                "https://aiplatform.googleapis.com/v1/projects/proj-1/locations/global/publishers/anthropic/models",
                vertex.endpoint().base().toString());
        AuthScheme.MintedToken minted = assertInstanceOf(AuthScheme.MintedToken.class, vertex.authScheme());
        assertEquals("https://oauth2.googleapis.com/token", minted.tokenUri().toString());
        assertFalse(vertex.toString().contains("PRIVATE KEY"), vertex.toString());
    }

    private static String cloud(String params) {
        return "model_list:\n  - model_name: c\n    litellm_params: " + params + "\n";
    }

    @Test
    void invalidValues_nameThePathAndWhatWasExpected() {
        assertMessage(
                "model_list[0].litellm_params.timeout: expected a number of seconds, got 'soon'",
                KIMI_CONFIG.replace(
                        "custom_llm_provider: anthropic", "custom_llm_provider: anthropic\n      timeout: soon"));
        assertMessage(
                "model_list[0].litellm_params.weight: expected an integer of at least 1, got 0",
                KIMI_CONFIG.replace(
                        "custom_llm_provider: anthropic", "custom_llm_provider: anthropic\n      weight: 0"));
        assertMessage(
                "model_list[0].litellm_params.auth_scheme: expected x-api-key or bearer, got 'basic'",
                KIMI_CONFIG.replace(
                        "custom_llm_provider: anthropic", "custom_llm_provider: anthropic\n      auth_scheme: basic"));
        assertMessage(
                "model_list[0].litellm_params.api_base: api_base must be an http or https URL: ftp://host",
                KIMI_CONFIG.replace("https://api.lkeap.cloud.tencent.com", "ftp://host"));
        assertMessage(
                "model_list[0].model_name: required",
                KIMI_CONFIG.replace("model_name: kimi-k2.5-tencent-claude", "name: x"));
        assertMessage("model_list: required: list the deployments this gateway serves", "router_settings: {}\n");
        assertMessage("model_list: expected a list", "model_list: {a: 1}\n");
        assertMessage(
                "router_settings.routing_strategy: expected one of cost-based-routing, latency-based-routing, "
                        + "least-busy, simple-shuffle, usage-based-routing, usage-based-routing-v2, got 'fastest'",
                KIMI_CONFIG + "router_settings: {routing_strategy: fastest}\n");
        assertMessage(
                "search_tools[0].litellm_params.search_provider: expected one of brave, exa, exa_ai, offline, "
                        + "perplexity, searxng, tavily, got 'bing'",
                KIMI_CONFIG + "search_tools: [{search_tool_name: s, litellm_params: {search_provider: bing}}]\n");
        assertMessage(
                "model_list[0].litellm_params.model: name the provider as 'provider/model' "
                        + "(e.g. anthropic/kimi-k2.5) or set custom_llm_provider",
                KIMI_CONFIG
                        .replace("model: anthropic/kimi-k2.5", "model: kimi-k2.5")
                        .replace("      custom_llm_provider: anthropic\n", ""));
    }

    @Test
    void invalidYaml_givesTheLine_butNotTheLineItself() {
        String broken = "model_list:\n  - model_name: m\n    litellm_params:\n      api_key: sk-secret-777: [\n";

        ConfigException error = assertThrows(ConfigException.class, () -> loader.parse(broken, "c.yaml"));

        assertTrue(error.getMessage().startsWith("c.yaml is not valid YAML at line 4"), error.getMessage());
        assertFalse(error.getMessage().contains("sk-secret-777"), error.getMessage());
    }

    @Test
    void secrets_neverAppearInErrors() {
        String badHeader = KIMI_CONFIG.replace(
                "custom_llm_provider: anthropic",
                "custom_llm_provider: anthropic\n      extra_headers: {x-api-key: sk-header-secret}");

        ConfigException error = assertThrows(ConfigException.class, () -> loader.parse(badHeader, "c.yaml"));

        assertTrue(error.getMessage().contains("x-api-key"), error.getMessage());
        assertFalse(error.getMessage().contains("sk-header-secret"));
        assertFalse(error.getMessage().contains(TENCENT_KEY));
    }

    @Test
    void files_areReadFromDisk_andAMissingFileIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, KIMI_CONFIG);

        assertEquals(1, loader.load(file).deployments().size());
        ConfigException missing = assertThrows(ConfigException.class, () -> loader.load(dir.resolve("nope.yaml")));
        assertTrue(missing.getMessage().contains("nope.yaml does not exist"));
    }

    @Test
    void operations_defaultToMetricsOnBehindTheKey_humanLines_andNoTraces() {
        OperationsSettings operations = loader.parse(KIMI_CONFIG, "c.yaml").operations();

        assertEquals(OperationsSettings.defaults(), operations);
    }

    @Test
    void operations_readMetricsJsonLogsAndTheTraceEndpoint_fromTheFileOrTheStandardVariables() {
        OperationsSettings fromFile = loader.parse(
                        KIMI_CONFIG.replace("litellm_settings:\n", "litellm_settings:\n  json_logs: true\n") + """
                                general_settings:
                                  metrics: false
                                  otlp_endpoint: "http://collector:4318/"
                                """,
                        "c.yaml")
                .operations();
        OperationsSettings fromEnvironment = new ConfigLoader(Map.of(
                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://otel.example/v1/traces",
                        "OTEL_EXPORTER_OTLP_HEADERS", "x-honeycomb-team=secret%3D1,x-other=2",
                        "OTEL_SERVICE_NAME", "gw"))
                .parse(KIMI_CONFIG.replace("os.environ/TENCENT_API_KEY", "sk-inline"), "c.yaml")
                .operations();

        assertFalse(fromFile.metrics());
        assertTrue(fromFile.jsonLogs());
        assertEquals(
                URI.create("http://collector:4318/v1/traces"),
                fromFile.traces().orElseThrow().endpoint());
        TraceExport export = fromEnvironment.traces().orElseThrow();
        assertEquals(URI.create("https://otel.example/v1/traces"), export.endpoint());
        assertEquals(Map.of("x-honeycomb-team", "secret=1", "x-other", "2"), export.headers());
        assertEquals("gw", export.serviceName());
        assertFalse(export.toString().contains("secret"), export.toString());
    }

    @Test
    void aTraceEndpointThatIsNotAPlainHttpUrl_stopsTheStart() {
        ConfigException ftp = assertThrows(
                ConfigException.class,
                () -> loader.parse(KIMI_CONFIG + "general_settings: {otlp_endpoint: \"ftp://collector\"}\n", "c.yaml"));
        ConfigException credentials = assertThrows(
                ConfigException.class,
                () -> new ConfigLoader(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://user:pw@collector"))
                        .parse(KIMI_CONFIG.replace("os.environ/TENCENT_API_KEY", "sk-inline"), "c.yaml"));

        assertTrue(
                ftp.getMessage().contains("general_settings.otlp_endpoint must be an http:// or https:// URL"),
                ftp.getMessage());
        assertTrue(credentials.getMessage().contains("OTEL_EXPORTER_OTLP_ENDPOINT must not carry credentials"));
        assertFalse(credentials.getMessage().contains("pw"), credentials.getMessage());
    }

    private void assertMessage(String expected, String yaml) {
        ConfigException error = assertThrows(ConfigException.class, () -> loader.parse(yaml, "c.yaml"));
        assertEquals(expected, error.getMessage());
    }
}
