package dev.keyline.adapters.frontdoors.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.testing.InMemoryCooldownStore;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routing seen from a client: cooldowns, the all-cooling answer, the cooldown listing, stream retries. */
class GatewayRoutingCooldownsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HELLO = """
            {"model":"kimi","max_tokens":64,"messages":[{"role":"user","content":"hello"}]}""";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer gateway;

    @AfterEach
    void stop() {
        gateway.stop();
    }

    @Test
    void whenBothDeploymentsRateLimit_theFirstRequestGetsTheUpstreams429_andTheNextTheGroupsOwn() throws Exception {
        upstream.stubFor(
                post("/a/v1/messages")
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("retry-after", "30")
                                        .withBody(
                                                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down a\"}}")));
        upstream.stubFor(
                post("/b/v1/messages")
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("retry-after", "20")
                                        .withBody(
                                                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down b\"}}")));
        gateway = TestGateways.start(
                List.of(deployment("a", 1), deployment("b", 2)),
                Credentials.none(),
                new InMemoryCooldownStore(InstantSource.system()));

        HttpResponse<String> first = send(HELLO);
        HttpResponse<String> second = send(HELLO);

        assertEquals(429, first.statusCode());
        assertEquals("slow down b", json(first).at("/error/message").asText(), "the last upstream's own error");
        assertEquals("b", first.headers().firstValue("x-keyline-deployment").orElseThrow());
        assertEquals(429, second.statusCode());
        assertEquals("rate_limit_error", json(second).at("/error/type").asText());
        assertTrue(json(second).at("/error/message").asText().contains("model group 'kimi'"), second.body());
        long retryAfter =
                Long.parseLong(second.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 19 && retryAfter <= 20, "retry-after " + retryAfter);
        assertEquals(2, upstream.getAllServeEvents().size(), "the second request reached no upstream");

        HttpResponse<String> listing =
                http.send(HttpRequest.newBuilder(uri("/cooldowns")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode cooldowns = json(listing).get("cooldowns");
        assertEquals(2, cooldowns.size());
        assertEquals("b", cooldowns.get(0).get("deployment").asText(), "soonest end first");
        assertEquals("kimi", cooldowns.get(0).get("model_group").asText());
        assertEquals("rate limited (HTTP 429)", cooldowns.get(0).get("reason").asText());
        assertTrue(!listing.body().contains("sk-"), listing.body());
    }

    @Test
    void aStreamThatOpensWithAnOverloadedError_isRetriedOnTheGroupMate_beforeTheClientSeesAByte() throws Exception {
        upstream.stubFor(
                post("/a/v1/messages")
                        .willReturn(
                                aResponse()
                                        .withHeader("content-type", "text/event-stream")
                                        .withBody(
                                                UpstreamFixtures.event(
                                                        "error",
                                                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))));
        upstream.stubFor(post("/b/v1/messages")
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(UpstreamFixtures.stream("from b"))));
        gateway = TestGateways.start(
                List.of(deployment("a", 1), deployment("b", 2)),
                Credentials.none(),
                new InMemoryCooldownStore(InstantSource.system()));

        HttpResponse<String> response = send(HELLO.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\""));

        assertEquals(200, response.statusCode());
        assertEquals("b", response.headers().firstValue("x-keyline-deployment").orElseThrow());
        assertEquals("2", response.headers().firstValue("x-keyline-attempts").orElseThrow());
        assertTrue(
                response.body().contains("from b") && !response.body().contains("overloaded_error"), response.body());
        upstream.verify(postRequestedFor(urlEqualTo("/b/v1/messages")).withHeader("x-api-key", equalTo("sk-key-of-b")));
    }

    @Test
    void aLoneDeploymentAnswering401_givesThat401EveryTime() throws Exception {
        upstream.stubFor(
                post("/a/v1/messages").willReturn(aResponse().withStatus(401).withBody(UpstreamFixtures.UNAUTHORIZED)));
        gateway = TestGateways.start(
                List.of(deployment("a", 1)), Credentials.none(), new InMemoryCooldownStore(InstantSource.system()));

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = send(HELLO);
            assertEquals(401, response.statusCode());
            assertEquals(MAPPER.readTree(UpstreamFixtures.UNAUTHORIZED), json(response));
        }
        assertEquals(5, upstream.getAllServeEvents().size());
    }

    private Deployment deployment(String id, int order) {
        return TestDeployments.withEndpoint(
                TestDeployments.deployment(id, "kimi", RoutingHints.defaults().withOrder(order)),
                Endpoint.parse(upstream.baseUrl() + "/" + id));
    }

    private HttpResponse<String> send(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/v1/messages"))
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }
}
