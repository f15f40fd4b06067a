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
import dev.keyline.ports.testing.FakeGoogleTokenEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    /** A lone Claude-on-Bedrock deployment's group, present when the gateway can call Bedrock. */
    static final String BEDROCK = "bedrock";
    /** A lone Claude-on-Vertex deployment's group, present when the gateway can call Vertex. */
    static final String VERTEX = "vertex";

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
    /** The host's AWS identity the gateway is launched with ({@code AWS_ACCESS_KEY_ID} and a profile's): never used. */
    final String awsDecoyKeyId =
            "AKIAKITDECOY" + random().toUpperCase(Locale.ROOT).substring(0, 8);
    /** The {@code AWS_BEARER_TOKEN_BEDROCK} the gateway is launched with: a Bedrock API key that is not a deployment's. */
    final String bedrockDecoyToken = "bedrock-api-key-decoy-" + random();
    /** The token the decoy's token endpoint mints for the host's Google account: a hop that carries it used it. */
    static final String GOOGLE_DECOY_TOKEN = "ya29.decoy-host-token";
    /** Files the cloud decoys name (a credentials file, a service account key); deleted at close. */
    private final Path decoyFiles;
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
                profile.can(Capability.DEPLOYMENT_HEADERS),
                profile.can(Capability.BEDROCK_UPSTREAMS),
                profile.can(Capability.VERTEX_UPSTREAMS));
    }

    /**
     * @param bearer    whether the gateway's configuration can name a deployment's auth scheme
     * @param chat      whether the gateway can call OpenAI-compatible deployments
     * @param groups    whether the gateway serves one name from several deployments: without, the pool has lone
     *                  deployments only
     * @param anthropic whether the gateway calls Anthropic-compatible deployments: without, every deployment speaks
     *                  chat completions
     * @param headers   whether the gateway sends a deployment's own extra headers: without, no deployment has any
     * @param bedrock   whether the gateway calls Claude on Bedrock: with, a lone Bedrock deployment has its group
     * @param vertex    whether the gateway calls Claude on Vertex: with, a lone Vertex deployment has its group
     */
    private FakeUpstreams(
            long seed,
            UnaryOperator<String> rewrite,
            boolean bearer,
            boolean chat,
            boolean groups,
            boolean anthropic,
            boolean headers,
            boolean bedrock,
            boolean vertex) {
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
        if (bedrock) {
            this.groups.put(BEDROCK, List.of("bedrock-1"));
        }
        if (vertex) {
            this.groups.put(VERTEX, List.of("vertex-1"));
        }
        this.groups.forEach((group, ids) -> ids.forEach(id -> {
            FakeDeployment.Cloud cloud = switch (group) {
                case BEDROCK -> FakeDeployment.Cloud.BEDROCK;
                case VERTEX -> FakeDeployment.Cloud.VERTEX;
                default -> FakeDeployment.Cloud.NONE;
            };
            boolean speaksChat =
                    cloud == FakeDeployment.Cloud.NONE && (!anthropic || id.equals(chatOne) || group.equals(CHAT));
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
                            // A chat server takes its key as Bearer, and has no use for an anthropic-beta header;
                            // a cloud takes its own credentials, and its betas in the body.
                            cloud == FakeDeployment.Cloud.NONE && (speaksChat || bearerKey),
                            trailingSlash,
                            speaksChat || cloud != FakeDeployment.Cloud.NONE ? null : forcedBeta,
                            speaksChat,
                            cloud,
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
        // As the host's own token endpoint would: a gateway that mints from GOOGLE_APPLICATION_CREDENTIALS gets a
        // token, and the hop that carries it shows where it came from.
        decoy.stubFor(post(urlPathEqualTo("/token"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"access_token\":\"" + GOOGLE_DECOY_TOKEN
                                + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        try {
            decoyFiles = Files.createTempDirectory("keyline-kit-decoys");
            String decoyBase = "http://127.0.0.1:" + decoy.port();
            Files.writeString(
                    decoyFiles.resolve("credentials"),
                    "[default]\naws_access_key_id = " + awsDecoyKeyId
                            + "\naws_secret_access_key = decoy-profile-secret\n[kit-decoy]\naws_access_key_id = "
                            + awsDecoyKeyId + "\naws_secret_access_key = decoy-profile-secret\n");
            Files.writeString(
                    decoyFiles.resolve("config"),
                    "[default]\nregion = us-east-1\nendpoint_url = " + decoyBase
                            + "\n[profile kit-decoy]\nregion = us-east-1\nendpoint_url = " + decoyBase + "\n");
            Files.writeString(
                    decoyFiles.resolve("google-application-credentials.json"),
                    FakeGoogleTokenEndpoint.keyFile(
                            "decoy@host-project.iam.gserviceaccount.com", decoyBase + "/token"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        // The host's cloud identity, every way the AWS and Google SDKs would find it, all pointing at the decoy.
        String decoyBase = "http://127.0.0.1:" + decoy.port();
        env.put("AWS_ACCESS_KEY_ID", awsDecoyKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", "decoy-environment-secret");
        env.put("AWS_SESSION_TOKEN", "decoy-session-token");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PROFILE", "kit-decoy");
        env.put("AWS_SHARED_CREDENTIALS_FILE", decoyFiles.resolve("credentials").toString());
        env.put("AWS_CONFIG_FILE", decoyFiles.resolve("config").toString());
        env.put("AWS_ENDPOINT_URL", decoyBase);
        env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", decoyBase);
        env.put("AWS_BEARER_TOKEN_BEDROCK", bedrockDecoyToken);
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", decoyBase);
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", decoyBase + "/credentials");
        env.put(
                "GOOGLE_APPLICATION_CREDENTIALS",
                decoyFiles.resolve("google-application-credentials.json").toString());
        env.put("GOOGLE_CLOUD_PROJECT", "host-project");
        env.put("GCE_METADATA_HOST", "127.0.0.1:" + decoy.port());
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
        try (var files = Files.list(decoyFiles)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(decoyFiles);
        } catch (IOException e) {
            // a temporary directory left behind holds decoys only
        }
        deployments.values().forEach(FakeDeployment::close);
        search.stop();
        decoy.stop();
    }
}
