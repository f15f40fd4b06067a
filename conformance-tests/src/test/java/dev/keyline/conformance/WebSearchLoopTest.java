package dev.keyline.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.MessageStreamWriter;
import dev.keyline.adapters.wire.testing.StreamFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user report that started Keyline, replayed on the launched gateway: a Kimi-style deployment behind a custom
 * api_base that refuses native server tools, a SearXNG-style engine, decoy ANTHROPIC_* variables. Every hop must
 * reach the configured api_base with the configured key and headers.
 */
class WebSearchLoopTest {

    private static final String KEY = "sk-tencent-loop-8080";
    private static final String PATH = "/plan/anthropic/v1/messages";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String QUESTION = """
            {"model":"kimi-k2.5-tencent-claude","max_tokens":1024,%s
             "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":8}],
             "messages":[{"role":"user","content":"What is Keyline?"}]}""";

    @RegisterExtension
    static WireMockExtension upstream = LaunchedGateway.loopbackUpstream();

    @RegisterExtension
    static WireMockExtension searxng = LaunchedGateway.loopbackUpstream();

    @TempDir
    static Path dir;

    private static LaunchedGateway keyline;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void launch() throws Exception {
        // Like Kimi's endpoint: native server tools are refused.
        upstream.stubFor(
                post(PATH)
                        .withRequestBody(containing("web_search_2025"))
                        .atPriority(1)
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withBody(
                                                "{\"type\":\"error\",\"error\":{\"type\":"
                                                        + "\"invalid_request_error\",\"message\":\"tools.0: unknown tool type web_search_20250305\"}}")));
        String hop1 = """
                {"id":"msg_hop1","type":"message","role":"assistant","model":"kimi-k2.5",
                 "content":[{"type":"text","text":"Searching."},
                            {"type":"tool_use","id":"toolu_01","name":"web_search","input":{"query":"keyline gateway"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":100,"output_tokens":20}}""";
        String hop2 = """
                {"id":"msg_hop2","type":"message","role":"assistant","model":"kimi-k2.5",
                 "content":[{"type":"text","text":"Keyline is an LLM gateway."}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":300,"output_tokens":30}}""";
        // Each hop answers JSON, or an event stream when asked; the second hop takes 300 ms to think.
        upstream.stubFor(post(PATH)
                .withRequestBody(not(containing("tool_result")))
                .atPriority(3)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(hop1)));
        upstream.stubFor(post(PATH)
                .withRequestBody(containing("tool_result"))
                .atPriority(3)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(hop2)
                        .withFixedDelay(300)));
        upstream.stubFor(post(PATH)
                .withRequestBody(not(containing("tool_result")))
                .withRequestBody(containing("\"stream\":true"))
                .atPriority(2)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(sse(hop1))));
        upstream.stubFor(post(PATH)
                .withRequestBody(containing("tool_result"))
                .withRequestBody(containing("\"stream\":true"))
                .atPriority(2)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(sse(hop2))
                        .withFixedDelay(300)));
        searxng.stubFor(get(urlPathEqualTo("/search"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withFixedDelay(150)
                        .withBody("""
                        {"query":"q","results":[{"url":"https://keyline.example/docs","title":"Keyline docs",
                         "content":"Keyline keeps every hop on its deployment.","publishedDate":"2026-11-01"}]}""")));
        keyline = LaunchedGateway.start(
                dir, """
                model_list:
                  - model_name: kimi-k2.5-tencent-claude
                    litellm_params:
                      model: anthropic/kimi-k2.5
                      api_base: %s/plan/anthropic
                      api_key: os.environ/TENCENT_API_KEY
                      custom_llm_provider: anthropic
                      extra_headers: {X-Tenant: t-7}

                litellm_settings:
                  callbacks: ["websearch_interception"]
                  websearch_interception_params:
                    enabled_providers: ["anthropic"]
                    search_tool_name: searxng
                search_tools:
                  - search_tool_name: searxng
                    litellm_params:
                      search_provider: searxng
                      api_base: %s
                """.formatted(upstream.baseUrl(), searxng.baseUrl()), Map.of("TENCENT_API_KEY", KEY));
    }

    @AfterAll
    static void stop() throws Exception {
        keyline.close();
    }

    @BeforeEach
    void clearJournals() {
        upstream.resetRequests();
        searxng.resetRequests();
    }

    @Test
    void theLoop_searchesOncePerModelCall_andEveryHopKeepsTheDeployment() throws Exception {
        HttpResponse<String> response = send("");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode message = MAPPER.readTree(response.body());
        List<String> types = new ArrayList<>();
        message.get("content").forEach(block -> types.add(block.get("type").asText()));
        assertEquals(List.of("text", "server_tool_use", "web_search_tool_result", "text"), types);
        assertEquals(message.at("/content/1/id"), message.at("/content/2/tool_use_id"));
        assertTrue(message.at("/content/1/id").asText().startsWith("srvtoolu_"));
        assertEquals(
                "https://keyline.example/docs",
                message.at("/content/2/content/0/url").asText());
        assertEquals(400, message.at("/usage/input_tokens").asInt());
        assertEquals(50, message.at("/usage/output_tokens").asInt());
        assertEquals(1, message.at("/usage/server_tool_use/web_search_requests").asInt());
        assertFalse(types.contains("tool_use"), "the internal tool call leaked");

        List<ServeEvent> hops = upstream.getAllServeEvents();
        assertEquals(2, hops.size());
        assertEquals(1, searxng.getAllServeEvents().size(), "one search for the one search call");
        for (ServeEvent hop : hops) {
            assertEquals(PATH, hop.getRequest().getUrl());
            assertEquals(KEY, hop.getRequest().getHeader("x-api-key"));
            assertEquals("t-7", hop.getRequest().getHeader("x-tenant"));
            assertEquals("2023-06-01", hop.getRequest().getHeader("anthropic-version"));
            assertEquals(
                    "web-search-2025-03-05,interleaved-thinking-2025-05-14",
                    hop.getRequest().getHeader("anthropic-beta"));
            assertEquals(
                    "kimi-k2.5",
                    MAPPER.readTree(hop.getRequest().getBodyAsString())
                            .get("model")
                            .asText());
            assertFalse(
                    hop.getRequest().getBodyAsString().contains("web_search_2025"),
                    "a native tool reached the upstream");
        }
        assertEquals(List.of(), keyline.decoyRequests());
    }

    @Test
    void aStreamedLoop_foldsToTheSameMessage_andASecondRequestRightAfterSucceeds() throws Exception {
        long jsonStarted = System.nanoTime();
        HttpResponse<String> json = send("");
        long jsonMs = (System.nanoTime() - jsonStarted) / 1_000_000;
        long[] firstByteMs = new long[1];
        long started = System.nanoTime();
        HttpResponse<String> streamed = http.send(request("\"stream\":true,"), info -> {
            firstByteMs[0] = -1;
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(), in -> {
                try (in) {
                    int first = in.read();
                    firstByteMs[0] = (System.nanoTime() - started) / 1_000_000;
                    return (char) first + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        });
        long streamedMs = (System.nanoTime() - started) / 1_000_000;
        HttpResponse<String> again = send("\"stream\":true,");

        assertEquals(200, streamed.statusCode());
        assertTrue(streamed.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        ObjectNode folded = StreamFolder.fold(streamed.body());
        ObjectNode expected = (ObjectNode) MAPPER.readTree(json.body());
        assertEquals(expected, folded);
        assertEquals(200, again.statusCode());
        assertTrue(again.body().contains("event: message_stop"));
        assertTrue(firstByteMs[0] < streamedMs - 250, "first byte after " + firstByteMs[0] + " ms of " + streamedMs);
        upstream.verify(6, WireMock.postRequestedFor(WireMock.urlEqualTo(PATH)).withHeader("x-api-key", equalTo(KEY)));
        Files.writeString(
                Path.of("target", "websearch-loop-figures.txt"),
                String.format(
                        "loop of 2 hops (the second 300 ms), 1 search (150 ms): JSON answer in %d ms; streamed: first byte in %d ms,"
                                + " last in %d ms%n",
                        jsonMs, firstByteMs[0], streamedMs));
    }

    /** The "done when" of issue 16: the seed's Kimi-style config, decoy ANTHROPIC_* set, count_tokens. */
    @Test
    void countTokens_goesToTheDeploymentsBase_withItsKey_theSearchToolAsTheDeploymentWouldSeeIt() throws Exception {
        upstream.stubFor(post(PATH + "/count_tokens")
                .withRequestBody(containing("web_search_2025"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":"
                                + "\"invalid_request_error\",\"message\":\"unknown tool type\"}}")));
        upstream.stubFor(post(PATH + "/count_tokens")
                .atPriority(2)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"input_tokens\":2048}")));

        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages/count_tokens?beta=true"))
                        .header("x-api-key", "any")
                        .header("anthropic-version", "2023-06-01")
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"model":"kimi-k2.5-tencent-claude",
                                 "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":8}],
                                 "messages":[{"role":"user","content":"What is Keyline?"}]}"""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"input_tokens\":2048}", response.body());
        assertEquals(
                "upstream",
                response.headers().firstValue("x-keyline-token-count").orElseThrow());
        List<ServeEvent> calls = upstream.getAllServeEvents();
        assertEquals(1, calls.size());
        assertEquals(PATH + "/count_tokens", calls.getFirst().getRequest().getUrl());
        assertEquals(KEY, calls.getFirst().getRequest().getHeader("x-api-key"));
        assertEquals("t-7", calls.getFirst().getRequest().getHeader("x-tenant"));
        assertFalse(calls.getFirst().getRequest().getBodyAsString().contains("max_tokens"));
        assertEquals(List.of(), keyline.decoyRequests());
    }

    private HttpResponse<String> send(String extra) throws Exception {
        return http.send(request(extra), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String extra) {
        return HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages?beta=true"))
                .header("x-api-key", "any")
                .header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "web-search-2025-03-05,interleaved-thinking-2025-05-14")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(QUESTION.formatted(extra)))
                .build();
    }

    /** The event stream Anthropic would send for a message. */
    private static String sse(String message) {
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder sse = new StringBuilder();
        new MessageStreamWriter(mapper)
                .events(new MessageResponseCodec(mapper).read(message.getBytes(StandardCharsets.UTF_8)))
                .forEach(e -> sse.append("event: ")
                        .append(e.type())
                        .append("\ndata: ")
                        .append(e.data())
                        .append("\n\n"));
        return sse.toString();
    }
}
