package dev.keyline.conformance.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The fakes of one run: deployments in groups (a lone one, a shared group of two to four and, when the gateway
 * calls OpenAI-compatible deployments, a lone chat one), a SearXNG- or Tavily-shaped engine, and a
 * decoy that stands where {@code ANTHROPIC_BASE_URL} points. A profile's template writes the gateway's configuration
 * for them ({@link PoolView}).
 */
final class FakeUpstreams implements AutoCloseable {

    static final String GATEWAY_KEY = "sk-kit-gateway-" + random();
    static final int MAX_LOOPS = 2;
    /** Each deployment's timeout, as the configuration states it; the timeout faults answer later than this. */
    static final int DEPLOYMENT_TIMEOUT_SECONDS = 2;
    /** The lone deployment's group; it must never be rested. */
    static final String SOLO = "solo";
    /** The group of several deployments; how many, 2 to 4, the run's seed decides. */
    static final String SHARED = "shared";
    /**
     * A lone OpenAI-compatible deployment's group, present when the gateway can call one. The shared group mixes
     * protocols, but which member serves a case is the gateway's own random choice; this group is where a case
     * reaches a chat deployment whatever the router draws, so a seed's verdict on that path does not hang on dice.
     */
    static final String CHAT = "chat";

    final Map<String, FakeDeployment> deployments = new LinkedHashMap<>();
    private final Map<String, List<String>> groups = new LinkedHashMap<>();
    final WireMockServer search;
    final WireMockServer decoy;
    /**
     * The {@code ANTHROPIC_API_KEY} the gateway is launched with, one per run: the property that looks for it must
     * look for the very key the gateway was given.
     */
    final String decoyKey = "sk-ant-decoy-" + random();
    /** The {@code OPENAI_API_KEY} the gateway is launched with: an OpenAI client's gateway must not reach for it. */
    final String openAiDecoyKey = "sk-openai-decoy-" + random();
    /** The search engine's own key (Tavily takes one); it must reach the engine and nothing else. */
    final String searchKey = "tvly-kit-" + random();
    /** Whether the run's engine is Tavily-shaped (POST, Bearer key) rather than SearXNG-shaped (GET, no key). */
    final boolean tavily;

    /**
     * A pool shaped by the run's seed (the shared group's size, which deployments present their key as {@code
     * Authorization: Bearer}, which {@code api_base} ends in a slash, which have an extra {@code Anthropic-Beta}) and by
     * what the gateway can do ({@link GatewayProfile#capabilities()}): a gateway that calls OpenAI-compatible
     * deployments gets them as the shared group's last member and as a lone group, so every property is judged on a
     * group mixing both protocols; one that cannot be told a key is Bearer gets none so.
     */
    FakeUpstreams(long seed, GatewayProfile profile) {
        this(seed, profile, UnaryOperator.identity());
    }

    /**
     * @param rewrite what reaches every fake deployment is first rewritten so (identity in runs): the kit's own tests
     *                put Keyline behind it to play a correct gateway that translates differently
     */
    FakeUpstreams(long seed, GatewayProfile profile, UnaryOperator<String> rewrite) {
        this(
                seed,
                rewrite,
                profile.can(Capability.BEARER_AUTH_SCHEME),
                profile.can(Capability.OPENAI_CHAT_UPSTREAMS),
                profile.can(Capability.MODEL_GROUPS),
                profile.can(Capability.ANTHROPIC_UPSTREAMS),
                profile.can(Capability.DEPLOYMENT_HEADERS));
    }

    /**
     * @param bearer    whether the gateway's configuration can name a deployment's auth scheme
     * @param chat      whether the gateway can call OpenAI-compatible deployments
     * @param groups    whether the gateway serves one name from several deployments: without, the pool has lone
     *                  deployments only
     * @param anthropic whether the gateway calls Anthropic-compatible deployments: without, every deployment speaks
     *                  chat completions
     * @param headers   whether the gateway sends a deployment's own extra headers: without, no deployment has any
     */
    private FakeUpstreams(
            long seed,
            UnaryOperator<String> rewrite,
            boolean bearer,
            boolean chat,
            boolean groups,
            boolean anthropic,
            boolean headers) {
        Random shape = new Random(seed);
        this.groups.put(SOLO, List.of("solo-1"));
        List<String> shared = new ArrayList<>();
        for (int i = 1; i <= 2 + shape.nextInt(3); i++) {
            shared.add("shared-" + i);
        }
        if (groups) {
            this.groups.put(SHARED, List.copyOf(shared));
        }
        tavily = shape.nextBoolean();
        String chatOne = chat && groups ? shared.getLast() : null;
        if (chat) {
            this.groups.put(CHAT, List.of("chat-1"));
        }
        this.groups.forEach((group, ids) -> ids.forEach(id -> {
            boolean speaksChat = !anthropic || id.equals(chatOne) || group.equals(CHAT);
            boolean bearerKey = bearer && shape.nextBoolean();
            boolean trailingSlash = shape.nextBoolean();
            String forcedBeta = shape.nextBoolean() && headers ? "kit-forced-" + id : null;
            deployments.put(
                    id,
                    new FakeDeployment(
                            id,
                            group,
                            "sk-" + id + "-" + random(),
                            headers ? "tenant-" + id : null,
                            // A chat server takes its key as Bearer, and has no use for an anthropic-beta header.
                            speaksChat || bearerKey,
                            trailingSlash,
                            speaksChat ? null : forcedBeta,
                            speaksChat,
                            rewrite));
        }));
        search = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        search.start();
        search.stubFor(get(urlPathEqualTo("/search"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"results\":[{\"url\":\"https://kit.example/a\",\"title\":\"Kit result\","
                                + "\"content\":\"An excerpt.\",\"publishedDate\":\"2026-01-02\"}]}")));
        search.stubFor(post(urlPathEqualTo("/search"))
                .atPriority(2)
                .willReturn(aResponse().withStatus(401).withBody("{\"detail\":{\"error\":\"Unauthorized\"}}")));
        search.stubFor(post(urlPathEqualTo("/search"))
                .withHeader("authorization", equalTo("Bearer " + searchKey))
                .atPriority(1)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"query\":\"q\",\"results\":[{\"url\":\"https://kit.example/a\","
                                + "\"title\":\"Kit result\",\"content\":\"An excerpt.\",\"score\":0.9,"
                                + "\"published_date\":\"2026-01-02\"}],\"response_time\":0.1}")));
        decoy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        decoy.start();
        decoy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401)));
    }

    /** @return the environment the gateway process gets: the deployments' keys, and decoys */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        deployments.values().forEach(d -> env.put(envName(d), d.key));
        env.put("KIT_SEARCH_KEY", searchKey);
        env.put("ANTHROPIC_API_KEY", decoyKey);
        env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + decoy.port());
        env.put("ANTHROPIC_API_BASE", "http://127.0.0.1:" + decoy.port());
        env.put("OPENAI_API_KEY", openAiDecoyKey);
        env.put("OPENAI_BASE_URL", "http://127.0.0.1:" + decoy.port() + "/v1");
        env.put("OPENAI_API_BASE", "http://127.0.0.1:" + decoy.port() + "/v1");
        return env;
    }

    /** @return the groups a case may ask for, in a fixed order (a seed's cases depend on it) */
    List<String> groupNames() {
        return List.copyOf(groups.keySet());
    }

    List<FakeDeployment> group(String name) {
        List<FakeDeployment> members = new ArrayList<>();
        groups.get(name).forEach(id -> members.add(deployments.get(id)));
        return members;
    }

    static String envName(FakeDeployment d) {
        return "KIT_KEY_" + d.id.toUpperCase().replace('-', '_');
    }

    private static String random() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        deployments.values().forEach(FakeDeployment::close);
        search.stop();
        decoy.stop();
    }
}
