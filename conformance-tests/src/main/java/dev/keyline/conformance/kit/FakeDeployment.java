package dev.keyline.conformance.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestWrapper;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Body;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.keyline.ports.testing.FakeGoogleTokenEndpoint;
import dev.keyline.ports.testing.SigV4Check;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One deployment of the fakes: its own origin (a WireMock server on loopback), path, key and extra header, so every
 * journaled request says which deployment it reached and with what.
 */
final class FakeDeployment implements AutoCloseable {

    final String id;
    final String group;
    final String key;
    /** Its own extra header {@code X-Tenant}'s value, or null when the gateway cannot give a deployment headers. */
    final String tenant;
    /** The deployment takes its key as {@code Authorization: Bearer} and refuses it as {@code x-api-key}. */
    final boolean bearer;
    /** The configuration writes its {@code api_base} with a trailing slash, which must not change the path. */
    final boolean trailingSlash;
    /**
     * An extra header {@code Anthropic-Beta} (another case than the client's {@code anthropic-beta}) the configuration
     * gives this deployment, or null: the deployment's own header wins, and reaches it once.
     */
    final String forcedBeta;
    /** It speaks OpenAI's chat completions, as a vLLM server does, not Anthropic's Messages. */
    final boolean chat;
    /** Whose cloud it plays, if any: Claude on Bedrock (SigV4, binary streams) or on Vertex (minted tokens). */
    final Cloud cloud;
    /** A Bedrock deployment's access key id, its {@link #key} being the secret that signs; null otherwise. */
    final String keyId;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WireMockServer server;
    /** A Vertex deployment's token endpoint, minting only for its own account (its {@link #key}); null otherwise. */
    private final FakeGoogleTokenEndpoint tokens;

    /** The clouds a deployment can play; each checks what that cloud would. */
    enum Cloud {
        NONE,
        BEDROCK,
        VERTEX
    }

    /** The project and location every Vertex deployment of the pool is configured with. */
    static final String VERTEX_MODELS = "/v1/projects/kit-project/locations/us-east5/publishers/anthropic/models";

    static final String BEDROCK_REGION = "us-east-1";

    FakeDeployment(
            String id,
            String group,
            String key,
            String tenant,
            boolean bearer,
            boolean trailingSlash,
            String forcedBeta,
            boolean chat) {
        this(id, group, key, tenant, bearer, trailingSlash, forcedBeta, chat, UnaryOperator.identity());
    }

    /** @param rewrite what every request's body becomes before the fake reads it (identity in runs) */
    FakeDeployment(
            String id,
            String group,
            String key,
            String tenant,
            boolean bearer,
            boolean trailingSlash,
            String forcedBeta,
            boolean chat,
            UnaryOperator<String> rewrite) {
        this(id, group, key, tenant, bearer, trailingSlash, forcedBeta, chat, Cloud.NONE, rewrite);
    }

    /**
     * @param key   a Bedrock deployment's secret access key; a Vertex deployment's key is made here (its account's
     *              key file, minting at its own token endpoint), this one ignored
     * @param cloud whose cloud it plays
     */
    FakeDeployment(
            String id,
            String group,
            String key,
            String tenant,
            boolean bearer,
            boolean trailingSlash,
            String forcedBeta,
            boolean chat,
            Cloud cloud,
            UnaryOperator<String> rewrite) {
        this.id = id;
        this.cloud = cloud;
        this.keyId = cloud == Cloud.BEDROCK ? keyIdOf(id) : null;
        try {
            this.tokens = cloud == Cloud.VERTEX ? new FakeGoogleTokenEndpoint() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        key = tokens != null ? tokens.accountKey() : key;
        this.group = group;
        this.key = key;
        this.tenant = tenant;
        this.bearer = bearer;
        this.trailingSlash = trailingSlash;
        this.forcedBeta = forcedBeta;
        this.chat = chat;
        this.server = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .extensions(
                        new ScriptedModelTransformer(id, key, bearer, chat, cloud, this::presentedKey),
                        // A signed body cannot be rewritten after it was signed: a gateway translates before it
                        // signs, so Bedrock's deployment is judged on the body as the gateway signed it.
                        new Rewriting(id, cloud == Cloud.BEDROCK ? UnaryOperator.identity() : rewrite)));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse()));
    }

    /** Rewrites a request's body before the fake model reads it, as another gateway's translation would have. */
    private record Rewriting(String id, UnaryOperator<String> rewrite) implements StubRequestFilterV2 {
        @Override
        public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
            return RequestFilterAction.continueWith(RequestWrapper.create()
                    .transformBody(body -> new Body(rewrite.apply(body.asString())))
                    .wrap(request));
        }

        @Override
        public String getName() {
            return "rewriting-" + id;
        }
    }

    /** @return a Bedrock access key id for this deployment: capitals and digits, as AWS writes them */
    private static String keyIdOf(String id) {
        String letters = id.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        return ("AKIAKIT" + letters + "0000000000000").substring(0, 20);
    }

    /**
     * The key a request presented, as this deployment's cloud sees it: the key in its header (x-api-key or Bearer);
     * for Bedrock, the secret of the key id whose signature verifies (this deployment's, or null); for Vertex, the
     * account whose token it carries (this deployment's, or null).
     */
    String presentedKey(Request request) {
        return switch (cloud) {
            case NONE -> {
                if (!bearer) {
                    yield request.getHeader("x-api-key");
                }
                String authorization = request.getHeader("authorization");
                yield authorization != null && authorization.startsWith("Bearer ")
                        ? authorization.substring("Bearer ".length())
                        : null;
            }
            case BEDROCK ->
                SigV4Check.verify(request, Map.of(keyId, key))
                                .filter(v -> v.region().equals(BEDROCK_REGION)
                                        && v.service().equals("bedrock"))
                                .isPresent()
                        ? key
                        : null;
            case VERTEX -> {
                String authorization = request.getHeader("authorization");
                yield authorization != null
                                && authorization.startsWith("Bearer ")
                                && tokens.minted(authorization.substring("Bearer ".length()))
                        ? key
                        : null;
            }
        };
    }

    /** @return where a token count for this deployment must go, as its protocol counts */
    String countPath() {
        return switch (cloud) {
            case NONE -> chat ? "/" + id + "/" : messagesPath() + "/count_tokens";
            case BEDROCK -> messagesPath() + SigV4Check.pathSegment(model()) + "/count-tokens";
            case VERTEX -> messagesPath() + "count-tokens:rawPredict";
        };
    }

    /** @return the Anthropic protocol version a request carried, where this deployment's API takes it */
    String version(Request request) {
        return cloud == Cloud.NONE
                ? request.getHeader("anthropic-version")
                : body(request).path("anthropic_version").asText(null);
    }

    /** @return the version this deployment's API must be sent */
    String expectedVersion(String clients) {
        return switch (cloud) {
            case NONE -> clients;
            case BEDROCK -> "bedrock-2023-05-31";
            case VERTEX -> "vertex-2023-10-16";
        };
    }

    /** @return the betas a request carried, comma-separated, where this deployment's API takes them (or null) */
    String betas(Request request) {
        if (cloud != Cloud.BEDROCK) {
            return request.getHeader("anthropic-beta");
        }
        JsonNode betas = body(request).path("anthropic_beta");
        List<String> names = new ArrayList<>();
        betas.forEach(beta -> names.add(beta.asText()));
        return names.isEmpty() ? null : String.join(",", names);
    }

    private static JsonNode body(Request request) {
        try {
            return MAPPER.readTree(request.getBodyAsString());
        } catch (IOException | RuntimeException e) {
            return MAPPER.createObjectNode();
        }
    }

    String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * @return its base as its provider's configurations write it (a chat base includes {@code /v1}; a cloud's is the
     *         host that stands in for the cloud's regional one)
     */
    String apiBase() {
        return switch (cloud) {
            case NONE -> origin() + "/" + id + (chat ? "/v1" : "/anthropic");
            case BEDROCK, VERTEX -> origin() + "/" + id;
        };
    }

    /** @return the path its protocol's calls take (for a cloud, the part before the model) */
    String messagesPath() {
        return switch (cloud) {
            case NONE -> "/" + id + (chat ? "/v1/chat/completions" : "/anthropic/v1/messages");
            case BEDROCK -> "/" + id + "/model/";
            case VERTEX -> "/" + id + VERTEX_MODELS + "/";
        };
    }

    /** @return the model its configuration names, as its cloud writes model ids */
    String model() {
        return switch (cloud) {
            case NONE -> "model-of-" + id;
            // An inference profile id: its ':' must travel encoded, and be signed so.
            case BEDROCK -> "us.anthropic.model-of-" + id + "-v1:0";
            case VERTEX -> "model-of-" + id + "@20261205";
        };
    }

    List<ServeEvent> journal() {
        return server.getAllServeEvents();
    }

    void forget() {
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
        if (tokens != null) {
            tokens.close();
        }
    }
}
