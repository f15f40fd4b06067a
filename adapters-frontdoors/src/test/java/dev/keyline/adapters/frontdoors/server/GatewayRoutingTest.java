package dev.keyline.adapters.frontdoors.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.testing.TestConditions;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.testing.InMemoryCooldownStore;
import io.helidon.webserver.WebServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The front door over real HTTP: a Helidon server, the real service and provider client, a WireMock upstream. */
class GatewayRoutingTest {

    private static final String GATEWAY_KEY = "sk-gateway-5e2d";
    private static final String UPSTREAM_PATH = "/plan/anthropic/v1/messages";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HELLO = """
            {"model":"kimi-k2.5-tencent-claude","max_tokens":64,"messages":[{"role":"user","content":"hello"}]}""";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static WebServer gateway;
    private static WebServer openGateway;
    private static WebServer deadEndGateway;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startGateways() throws Exception {
        gateway = start(TestDeployments.kimi(upstream.baseUrl()), Credentials.of(GATEWAY_KEY));
        openGateway = start(TestDeployments.kimi(upstream.baseUrl()), Credentials.none());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        deadEndGateway = start(
                TestDeployments.at("http://127.0.0.1:" + closedPort, AuthScheme.X_API_KEY, Duration.ofSeconds(2)),
                Credentials.none());
    }

    @AfterAll
    static void stopGateways() {
        gateway.stop();
        openGateway.stop();
        deadEndGateway.stop();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @Test
    void aJsonRequest_isAnsweredByTheDeployment_andTheClientsKeyStaysHere() throws Exception {
        upstream.stubFor(post(UPSTREAM_PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withHeader("request-id", "req_9")
                        .withBody(UpstreamFixtures.MESSAGE)));

        HttpResponse<String> response = send(
                gateway,
                "/v1/messages?beta=true",
                HELLO,
                "x-api-key",
                GATEWAY_KEY,
                "anthropic-version",
                "2023-06-01",
                "anthropic-beta",
                "a-1",
                "anthropic-beta",
                "b-2");

        assertEquals(200, response.statusCode());
        assertEquals(
                MAPPER.readTree(UpstreamFixtures.MESSAGE).get("content"),
                json(response).get("content"));
        assertEquals(
                "kimi-a", response.headers().firstValue("x-keyline-deployment").orElseThrow());
        // request-id is the gateway's own; the upstream's comes back beside it, for its operator's support desk.
        assertEquals(
                "req_9", response.headers().firstValue("upstream-request-id").orElseThrow());
        assertTrue(
                response.headers().firstValue("request-id").orElseThrow().matches("req_[0-9a-z]{24}"),
                response.headers().firstValue("request-id").orElseThrow());
        upstream.verify(postRequestedFor(urlEqualTo(UPSTREAM_PATH))
                .withHeader("x-api-key", equalTo(TestDeployments.KEY))
                .withHeader("anthropic-beta", equalTo("a-1,b-2"))
                .withHeader("authorization", absent()));
    }

    /** Both doors tell the client the same things: who served it, after how many calls, the upstream's ids. */
    @Test
    void theChatDoor_carriesTheSameReplyHeadersAsTheMessagesDoor_jsonAndStreamed() throws Exception {
        upstream.stubFor(post(UPSTREAM_PATH)
                .withRequestBody(notContaining("\"stream\":true"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withHeader("request-id", "req_chat_json")
                        .withHeader("anthropic-ratelimit-requests-remaining", "41")
                        .withBody(UpstreamFixtures.MESSAGE)));
        upstream.stubFor(post(UPSTREAM_PATH)
                .withRequestBody(containing("\"stream\":true"))
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withHeader("request-id", "req_chat_sse")
                        .withBody(UpstreamFixtures.stream("hi"))));
        String chat = """
                {"model":"kimi-k2.5-tencent-claude","messages":[{"role":"user","content":"hello"}]""";

        HttpResponse<String> json =
                send(gateway, "/v1/chat/completions", chat + "}", "authorization", "Bearer " + GATEWAY_KEY);
        HttpResponse<String> streamed = send(
                gateway, "/v1/chat/completions", chat + ",\"stream\":true}", "authorization", "Bearer " + GATEWAY_KEY);

        assertEquals(200, json.statusCode(), json.body());
        assertEquals(200, streamed.statusCode(), streamed.body());
        assertEquals("kimi-a", json.headers().firstValue("x-keyline-deployment").orElseThrow());
        assertEquals("1", json.headers().firstValue("x-keyline-attempts").orElseThrow());
        assertEquals(
                "req_chat_json",
                json.headers().firstValue("upstream-request-id").orElseThrow());
        assertEquals(
                "41",
                json.headers()
                        .firstValue("anthropic-ratelimit-requests-remaining")
                        .orElseThrow());
        assertEquals(
                "kimi-a", streamed.headers().firstValue("x-keyline-deployment").orElseThrow());
        assertEquals("1", streamed.headers().firstValue("x-keyline-attempts").orElseThrow());
        assertEquals(
                "req_chat_sse",
                streamed.headers().firstValue("upstream-request-id").orElseThrow());
        assertTrue(streamed.body().contains("data: [DONE]"), streamed.body());
    }

    /** The chat door writes the error the gateway decided, in OpenAI's shape: the same status, type and words. */
    @Test
    void theChatDoor_answersErrorsInOpenAisShape_withTheUpstreamsOwnTypeAndWords() throws Exception {
        upstream.stubFor(post(UPSTREAM_PATH)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                                + "\"message\":\"prompt is too long: 9 tokens > 5 maximum\"}}")));
        String chat = """
                {"model":"%s","messages":[{"role":"user","content":"hello"}]}""";

        HttpResponse<String> upstreamError = send(
                gateway,
                "/v1/chat/completions",
                chat.formatted("kimi-k2.5-tencent-claude"),
                "authorization",
                "Bearer " + GATEWAY_KEY);
        HttpResponse<String> unknown = send(
                gateway, "/v1/chat/completions", chat.formatted("gpt-9"), "authorization", "Bearer " + GATEWAY_KEY);

        assertEquals(400, upstreamError.statusCode(), upstreamError.body());
        assertEquals(
                "invalid_request_error", json(upstreamError).at("/error/type").asText());
        assertEquals(
                "prompt is too long: 9 tokens > 5 maximum",
                json(upstreamError).at("/error/message").asText());
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("not_found_error", json(unknown).at("/error/type").asText());
        assertTrue(json(unknown).at("/error/message").asText().contains("gpt-9"), unknown.body());
    }

    @Test
    void bearerGatewayKeys_areAccepted_andNotForwarded() throws Exception {
        upstream.stubFor(post(UPSTREAM_PATH).willReturn(aResponse().withBody(UpstreamFixtures.MESSAGE)));

        HttpResponse<String> response = send(gateway, "/v1/messages", HELLO, "authorization", "Bearer " + GATEWAY_KEY);

        assertEquals(200, response.statusCode());
        upstream.verify(postRequestedFor(urlEqualTo(UPSTREAM_PATH))
                .withHeader("authorization", absent())
                .withHeader("x-api-key", equalTo(TestDeployments.KEY)));
    }

    @Test
    void aMissingOrWrongGatewayKey_is401_andNothingGoesUpstream() throws Exception {
        assertError(send(gateway, "/v1/messages", HELLO), 401, "authentication_error");
        assertError(send(gateway, "/v1/messages", HELLO, "x-api-key", "sk-wrong"), 401, "authentication_error");
        assertError(
                send(gateway, "/v1/messages", HELLO, "authorization", "Bearer " + GATEWAY_KEY + "x"),
                401,
                "authentication_error");
        assertEquals(0, upstream.getAllServeEvents().size());
    }

    @Test
    void withoutAMasterKey_theGatewayIsOpen() throws Exception {
        upstream.stubFor(post(UPSTREAM_PATH).willReturn(aResponse().withBody(UpstreamFixtures.MESSAGE)));

        assertEquals(200, send(openGateway, "/v1/messages", HELLO).statusCode());
    }

    @Test
    void badInput_gets400InTheAnthropicShape() throws Exception {
        assertError(send(openGateway, "/v1/messages", "{not json"), 400, "invalid_request_error");
        assertError(send(openGateway, "/v1/messages", ""), 400, "invalid_request_error");
        HttpResponse<String> noTokens = send(
                openGateway, "/v1/messages", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertError(noTokens, 400, "invalid_request_error");
        assertTrue(json(noTokens).at("/error/message").asText().startsWith("max_tokens"));
    }

    @Test
    void anUnknownModel_is404_namingOnlyThatModel() throws Exception {
        HttpResponse<String> response =
                send(openGateway, "/v1/messages", HELLO.replace("kimi-k2.5-tencent-claude", "gpt-9"));

        assertError(response, 404, "not_found_error");
        assertTrue(json(response).at("/error/message").asText().contains("gpt-9"));
    }

    @Test
    void aModelNameWithALineBreak_cannotForgeAnAccessLogLine() throws Exception {
        Logger access = Logger.getLogger(MessagesHttpService.class.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        access.addHandler(capture);
        // The logger is shared with every other request of this class; only lines naming this request's id count.
        String requestId = "req-forge-" + System.nanoTime();
        List<String> mine;
        try {
            send(
                    openGateway,
                    "/v1/messages",
                    HELLO.replace("kimi-k2.5-tencent-claude", "gpt-9\\nPOST /v1/messages model=forged status=200"),
                    "x-request-id",
                    requestId);
            // The access line is written after the answer is sent, so it may trail the client by a moment.
            mine = TestConditions.await(
                    Duration.ofSeconds(10),
                    () -> lines.stream()
                            .filter(l -> l.contains("request=" + requestId))
                            .toList(),
                    found -> !found.isEmpty());
        } finally {
            access.removeHandler(capture);
        }

        assertEquals(1, mine.size(), mine.toString());
        assertFalse(mine.getFirst().contains("\n"), mine.getFirst());
        assertTrue(mine.getFirst().contains("model=gpt-9?POST"), mine.getFirst());
    }

    @Test
    void otherMethodsAndPaths_getAnthropicShapedErrors() throws Exception {
        HttpResponse<String> get = http.send(
                HttpRequest.newBuilder(uri(openGateway, "/v1/messages")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(get, 405, "invalid_request_error");
        assertError(send(openGateway, "/v1/complete", HELLO), 404, "not_found_error");
    }

    @Test
    void anOversizedBody_is413InTheAnthropicShape() throws Exception {
        char[] filler = new char[300_000];
        Arrays.fill(filler, 'a');
        String body = "{\"model\":\"" + new String(filler) + "\"}";

        // Expect: 100-continue (curl's default for large bodies) lets the 413 arrive before the body is sent; a
        // client that streams the body regardless may see the connection close first, as with most servers.
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(openGateway, "/v1/messages"))
                        .expectContinue(true)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertError(response, 413, "request_too_large");
        assertEquals(
                "the request body is larger than this gateway accepts (200000 bytes)",
                MAPPER.readTree(response.body()).at("/error/message").asText());
    }

    @Test
    void anUpstreamAnthropicError_isRelayedAsItCame() throws Exception {
        upstream.stubFor(
                post(UPSTREAM_PATH).willReturn(aResponse().withStatus(401).withBody(UpstreamFixtures.UNAUTHORIZED)));

        HttpResponse<String> response = send(openGateway, "/v1/messages", HELLO);

        assertEquals(401, response.statusCode());
        assertEquals(MAPPER.readTree(UpstreamFixtures.UNAUTHORIZED), json(response));
        assertEquals(
                "kimi-a", response.headers().firstValue("x-keyline-deployment").orElseThrow());
    }

    @Test
    void anUpstreamErrorInAnotherShape_isWrappedWithItsStatus_andRetryAfterPassesOn() throws Exception {
        upstream.stubFor(post(UPSTREAM_PATH)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("retry-after", "12")
                        .withBody("{\"error\":{\"message\":\"quota exceeded\",\"type\":\"insufficient_quota\"}}")));

        HttpResponse<String> response = send(openGateway, "/v1/messages", HELLO);

        assertError(response, 429, "rate_limit_error");
        assertTrue(json(response).at("/error/message").asText().contains("quota exceeded"));
        assertEquals("12", response.headers().firstValue("retry-after").orElseThrow());
    }

    @Test
    void anHtmlErrorPage_becomesAParseableError() throws Exception {
        upstream.stubFor(
                post(UPSTREAM_PATH).willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")));

        assertError(send(openGateway, "/v1/messages", HELLO), 502, "api_error");
    }

    @Test
    void anUnreachableDeployment_is502_namingTheDeployment_notItsAddress_andATimeoutIs504() throws Exception {
        HttpResponse<String> unreachable = send(deadEndGateway, "/v1/messages", HELLO);
        assertError(unreachable, 502, "api_error");
        assertEquals(
                "deployment 'kimi-a' is unreachable: the connection was refused",
                MAPPER.readTree(unreachable.body()).at("/error/message").asText());
        assertFalse(unreachable.body().contains("127.0.0.1"), unreachable.body());

        upstream.stubFor(
                post(UPSTREAM_PATH).willReturn(aResponse().withFixedDelay(1500).withBody(UpstreamFixtures.MESSAGE)));
        WebServer impatient = start(
                TestDeployments.at(
                        upstream.baseUrl() + "/plan/anthropic", AuthScheme.X_API_KEY, Duration.ofMillis(600)),
                Credentials.none());
        try {
            assertError(send(impatient, "/v1/messages", HELLO), 504, "timeout_error");
        } finally {
            impatient.stop();
        }
    }

    @Test
    void aStream_isRelayedEventByEvent_asTheUpstreamSendsIt() throws Exception {
        upstream.stubFor(post(UPSTREAM_PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(UpstreamFixtures.stream("Hello"))
                        .withChunkedDribbleDelay(7, 1400)));

        HttpRequest request = HttpRequest.newBuilder(uri(openGateway, "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        HELLO.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\"")))
                .build();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        List<String> events = new ArrayList<>();
        long firstEventMs = -1;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    events.add(line.substring(7));
                    if (firstEventMs < 0) {
                        firstEventMs = (System.nanoTime() - started) / 1_000_000;
                    }
                }
            }
        }
        long lastMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        assertEquals(
                "no",
                response.headers().firstValue("x-accel-buffering").orElseThrow(),
                "a proxy in front (nginx) must pass the events on, not buffer them");
        assertEquals(
                List.of(
                        "message_start",
                        "content_block_start",
                        "ping",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop"),
                events);
        assertTrue(firstEventMs < lastMs - 500, "first event after " + firstEventMs + " ms, last after " + lastMs);
    }

    @Test
    void aStreamCutByTheUpstream_endsWithAnErrorEvent_notAFakeEnd() throws Exception {
        upstream.stubFor(post(UPSTREAM_PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(UpstreamFixtures.cutStream())));

        HttpResponse<String> response =
                send(openGateway, "/v1/messages", HELLO.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\""));

        assertEquals(200, response.statusCode());
        assertFalse(response.body().contains("event: message_stop"));
        assertTrue(response.body().strip().endsWith("}"));
        String lastEvent = response.body().substring(response.body().lastIndexOf("event: "));
        assertTrue(
                lastEvent.startsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\""),
                lastEvent);
    }

    @Test
    void aStreamRefusedByTheUpstream_getsAnHttpError_notAnEmptyStream() throws Exception {
        upstream.stubFor(
                post(UPSTREAM_PATH).willReturn(aResponse().withStatus(401).withBody(UpstreamFixtures.UNAUTHORIZED)));

        HttpResponse<String> response =
                send(openGateway, "/v1/messages", HELLO.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\""));

        assertError(response, 401, "authentication_error");
    }

    @Test
    void health_needsNoKey_andCallsNoUpstream() throws Exception {
        HttpResponse<String> live = http.send(
                HttpRequest.newBuilder(uri(gateway, "/health/liveliness")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ready = http.send(
                HttpRequest.newBuilder(uri(gateway, "/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, live.statusCode());
        assertEquals("ready", json(ready).get("status").asText());
        assertEquals(0, upstream.getAllServeEvents().size());
    }

    private static WebServer start(Deployment deployment, Credentials key) {
        return TestGateways.start(List.of(deployment), key, new InMemoryCooldownStore(InstantSource.system()));
    }

    private HttpResponse<String> send(WebServer server, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(WebServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("error", body.get("type").asText(), response.body());
        assertEquals(type, body.at("/error/type").asText(), response.body());
        assertFalse(body.at("/error/message").asText().isBlank());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
    }
}
