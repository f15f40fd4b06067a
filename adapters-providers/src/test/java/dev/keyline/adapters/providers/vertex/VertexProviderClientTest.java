package dev.keyline.adapters.providers.vertex;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderClientContract;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.testing.FakeGoogleTokenEndpoint;
import dev.keyline.ports.testing.TestMessages;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider-adapter contract for Vertex AI ("carries its credentials" means a Bearer token that the token endpoint
 * minted for the deployment's own service account), and what is Vertex's own: a stranger's key gets no token and
 * makes no model call, a redirecting token endpoint never gets the assertion elsewhere, Vertex's errors, counts.
 */
class VertexProviderClientTest extends ProviderClientContract {

    private static final String MODEL = "claude-sonnet-4-5@20250929";
    private static final String MODELS = "/v1/projects/keyline-test/locations/us-east5/publishers/anthropic/models";

    private static FakeGoogleTokenEndpoint tokens;

    private final ProviderClient client =
            new VertexProtocol().client(ProviderHttpClients.standard(), new ObjectMapper(), InstantSource.system());

    @BeforeAll
    static void startTokenEndpoint() throws Exception {
        tokens = new FakeGoogleTokenEndpoint();
    }

    @AfterAll
    static void stopTokenEndpoint() {
        tokens.close();
    }

    @Override
    protected ProviderClient adapter() {
        return client;
    }

    @Override
    protected String provider() {
        return "vertex_ai";
    }

    @Override
    protected String protocolPath() {
        return MODELS + "/" + MODEL + ":rawPredict";
    }

    @Override
    protected String streamPath() {
        return MODELS + "/" + MODEL + ":streamRawPredict";
    }

    @Override
    protected String answer(String text) {
        return UpstreamFixtures.MESSAGE.replace("Hello!", text);
    }

    @Override
    protected List<String> streamFrames(String text) {
        return Arrays.stream(UpstreamFixtures.stream(text).split("(?<=\n\n)")).toList();
    }

    @Override
    protected Map<String, String> protocolHeaders(ProtocolHeaders client) {
        return Map.of("anthropic-beta", String.join(",", client.anthropicBeta()));
    }

    @Override
    protected Deployment deployment(String base) {
        return minting(base, tokens.accountKey());
    }

    /** A Vertex deployment's secret is its service account key, which never travels; its token is checked instead. */
    @Override
    protected boolean presentsKey() {
        return false;
    }

    @Override
    protected Deployment keyDeployment(String base, AuthScheme scheme) {
        return deployment(base, Credentials.of(KEY), scheme);
    }

    @Override
    protected RequestPatternBuilder authenticated(RequestPatternBuilder call) {
        return call.andMatching(request -> {
            String authorization = request.getHeader("authorization");
            return MatchResult.of(authorization != null
                    && authorization.startsWith("Bearer ")
                    && tokens.minted(authorization.substring(7)));
        });
    }

    @Override
    protected RequestPatternBuilder namesItsModel(RequestPatternBuilder call, Deployment deployment) {
        return call.withRequestBody(notContaining("\"model\""))
                .withRequestBody(matchingJsonPath("$.anthropic_version", equalTo("vertex-2023-10-16")));
    }

    private static Deployment minting(String base, String accountKey) {
        return deployment(
                base,
                Credentials.of(accountKey),
                new AuthScheme.MintedToken(FakeGoogleTokenEndpoint.ACCOUNT, URI.create("http://127.0.0.1/token")));
    }

    private static Deployment deployment(String base, Credentials credentials, AuthScheme scheme) {
        return new Deployment(
                new DeploymentId("vertex-" + Integer.toHexString(credentials.hashCode())),
                new ModelGroupName("claude"),
                "vertex_ai",
                MODEL,
                Endpoint.parse(base + MODELS),
                credentials,
                scheme,
                new ExtraHeaders(Map.of("X-Tenant", "t-42")),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                RoutingHints.defaults());
    }

    private static ProviderRequest request() {
        return new ProviderRequest(TestMessages.hello(false), ProtocolHeaders.defaults());
    }

    @Test
    void aStrangersKey_getsNoToken_andTheModelIsNeverCalled() {
        upstream.stubFor(post(urlEqualTo("/s" + protocolPath()))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(answer("ok"))));

        ProviderReply reply = client.send(minting(upstream.baseUrl() + "/s", tokens.strangerKey()), request());

        ProviderFailure failure =
                assertInstanceOf(ProviderReply.Failed.class, reply).failure();
        assertInstanceOf(ProviderFailure.Unauthorized.class, failure);
        assertTrue(failure.toString().contains("no access token was minted"), failure.toString());
        assertFalse(failure.toString().contains("PRIVATE KEY"));
        upstream.verify(0, anyRequestedFor(urlEqualTo("/s" + protocolPath())));
    }

    @Test
    void aTokenEndpointThatRedirects_neverSendsTheAssertionElsewhere() throws Exception {
        try (FakeGoogleTokenEndpoint hijacked = new FakeGoogleTokenEndpoint()) {
            hijacked.redirectTo(elsewhere.baseUrl() + "/token");
            elsewhere.stubFor(post(anyUrl())
                    .willReturn(aResponse()
                            .withHeader("content-type", "application/json")
                            .withBody("{\"access_token\":\"stolen\",\"expires_in\":3600}")));

            ProviderReply reply = client.send(minting(upstream.baseUrl(), hijacked.accountKey()), request());

            assertInstanceOf(
                    ProviderFailure.Unauthorized.class,
                    assertInstanceOf(ProviderReply.Failed.class, reply).failure());
            elsewhere.verify(0, anyRequestedFor(anyUrl()));
        }
    }

    @Test
    void oneTokenServesManyCalls_untilItNearsExpiry() {
        upstream.stubFor(post(urlEqualTo("/t" + protocolPath()))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(answer("ok"))));
        Deployment deployment = minting(upstream.baseUrl() + "/t", tokens.accountKey());
        int before = tokens.tokensMinted();

        for (int i = 0; i < 3; i++) {
            assertInstanceOf(ProviderReply.Completed.class, client.send(deployment, request()));
        }

        assertEquals(before + 1, tokens.tokensMinted());
    }

    @Test
    void vertexsOwnErrors_becomeTheAnthropicShape() {
        upstream.stubFor(post(urlEqualTo("/e" + protocolPath()))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("content-type", "application/json")
                        .withBody("[{\"error\":{\"code\":429,\"message\":\"Quota exceeded for aiplatform\","
                                + "\"status\":\"RESOURCE_EXHAUSTED\"}}]")));

        ProviderFailure failure = assertInstanceOf(
                        ProviderReply.Failed.class,
                        client.send(minting(upstream.baseUrl() + "/e", tokens.accountKey()), request()))
                .failure();

        ProviderFailure.RateLimited limited = assertInstanceOf(ProviderFailure.RateLimited.class, failure);
        assertEquals(
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Vertex RESOURCE_EXHAUSTED:"
                        + " Quota exceeded for aiplatform\"}}",
                limited.reply().body());
    }

    @Test
    void countTokens_goesToTheCountModel_withTheModelInTheBody() {
        upstream.stubFor(post(urlEqualTo("/c" + MODELS + "/count-tokens:rawPredict"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .withRequestBody(notContaining("max_tokens"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"input_tokens\":12}")));

        TokenCount count = client.countTokens(minting(upstream.baseUrl() + "/c", tokens.accountKey()), request());

        assertEquals(new TokenCount.Counted(12), count);
    }
}
