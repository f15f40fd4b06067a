package dev.keyline.app.operations;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.adapters.frontdoors.server.AccessLog;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.metrics.PrometheusText;
import dev.keyline.domain.testing.TestConditions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A web-search loop (two searches, then the answer) and a plain stream through a gateway with JSON logs on, seen
 * the three ways an operator sees it: the {@code request-id} the client got, the JSON request and hop lines carrying
 * that id, the metrics (a loop of two hops, two searches, the gateway's added time, no stream left open), and the
 * status page's recent requests.
 */
class SearchLoopOperationsTest {

    private static final String GATEWAY_KEY = "sk-ops-gateway-3";
    private static final String KEY = "sk-ops-deployment-4";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Logger requests = Logger.getLogger(AccessLog.JSON_LOGGER);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private KeylineServer keyline;

    @BeforeEach
    void listen() {
        requests.addHandler(capture);
    }

    @AfterEach
    void stop() {
        requests.removeHandler(capture);
        if (keyline != null) {
            keyline.close();
        }
    }

    @Test
    void aLoopAndAStream_showInTheHeaderTheHopLinesTheMetricsAndTheStatusPage() throws Exception {
        LoopUpstream.stub(upstream);
        String base = upstream.baseUrl();
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEY", KEY, "GATEWAY_KEY", GATEWAY_KEY))
                        .parse(LoopUpstream.CONFIG.formatted(base) + """
                                        litellm_settings:
                                          callbacks: [websearch_interception]
                                          json_logs: true
                                        general_settings:
                                          master_key: os.environ/GATEWAY_KEY
                                        """, "ops.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());

        HttpResponse<String> loop = send(LoopUpstream.LOOP_REQUEST, "req-client-42");
        HttpResponse<String> stream = send(LoopUpstream.STREAM_REQUEST, null);

        assertEquals(200, loop.statusCode(), loop.body());
        assertTrue(loop.body().contains("web_search_tool_result"), loop.body());
        assertEquals(
                "req-client-42",
                loop.headers().firstValue("request-id").orElseThrow(),
                "a safe x-request-id from the client is the request's id");
        assertEquals(
                "req_upstream_6",
                loop.headers().firstValue("upstream-request-id").orElseThrow(),
                "a loop answers with its first hop's headers");
        assertEquals(200, stream.statusCode());
        String streamId = stream.headers().firstValue("request-id").orElseThrow();
        assertTrue(streamId.matches("req_[0-9a-z]{24}"), streamId);

        // The JSON lines: per hop, then per request, each carrying the request's id.
        // A request's own line is written once its answer has gone, so it may trail the client: wait for it.
        List<JsonNode> loopLines = finishedLinesOf("req-client-42");
        assertEquals(
                List.of("hop", "hop", "request"),
                loopLines.stream().map(l -> l.get("event").asText()).toList());
        JsonNode first = loopLines.get(0);
        assertEquals(1, first.get("hop").asInt());
        assertEquals("first", first.get("role").asText());
        assertEquals("a", first.get("deployment").asText());
        assertEquals("g", first.get("model_group").asText());
        assertEquals("ok", first.get("outcome").asText());
        assertEquals(200, first.get("status").asInt());
        assertEquals(2, first.get("searches").asInt(), "the two searches ran for the first hop's answer");
        assertEquals(11, first.get("input_tokens").asInt());
        assertEquals(4, first.get("output_tokens").asInt());
        assertTrue(first.get("upstream_ms").asDouble() > 0);
        assertEquals("req_upstream_6", first.get("upstream_request_id").asText(), "each hop keeps its upstream's id");
        JsonNode second = loopLines.get(1);
        assertEquals(2, second.get("hop").asInt());
        assertEquals("follow_up", second.get("role").asText());
        assertEquals(0, second.get("searches").asInt());
        assertEquals(30, second.get("input_tokens").asInt());
        assertEquals("req_upstream_7", second.get("upstream_request_id").asText());
        JsonNode request = loopLines.get(2);
        assertEquals(200, request.get("status").asInt());
        assertEquals(2, request.get("hops").asInt());
        assertEquals(2, request.get("searches").asInt());
        assertEquals("messages", request.get("surface").asText());
        assertTrue(request.get("added_ms").asDouble() >= 0);
        assertTrue(request.get("time_ms").asDouble() >= request.get("added_ms").asDouble());
        List<JsonNode> streamLines = finishedLinesOf(streamId);
        assertEquals(2, streamLines.size());
        assertEquals("sse completed", streamLines.get(1).get("mode").asText());
        assertEquals(2, streamLines.get(0).get("output_tokens").asInt(), "a stream's tokens, read as it passed");
        synchronized (lines) {
            for (String line : lines) {
                assertFalse(line.contains(KEY) || line.contains(GATEWAY_KEY), "a key in a log line: " + line);
                assertFalse(line.contains("search\"}") || line.contains("keyline gateway"), "client text: " + line);
            }
        }

        // The metrics.
        HttpResponse<String> scrape = http.send(
                HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/metrics"))
                        .header("x-api-key", GATEWAY_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> m = PrometheusText.read(scrape.body());
        assertEquals(1.0, m.get("keyline_websearch_loops_total{deployment=\"a\",model_group=\"g\"}"));
        assertEquals(1.0, m.get("keyline_websearch_loop_hops_count{deployment=\"a\",model_group=\"g\"}"));
        assertEquals(2.0, m.get("keyline_websearch_loop_hops_sum{deployment=\"a\",model_group=\"g\"}"));
        assertEquals(2.0, m.get("keyline_searches_total{engine=\"searxng\",outcome=\"ok\"}"));
        assertEquals(2.0, m.get("keyline_gateway_added_seconds_count{surface=\"messages\"}"));
        assertEquals(0.0, m.get("keyline_streams_open"));

        // The status page lists both, newest first, with the loop's hops and searches.
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/ui"))
                        .header("x-api-key", GATEWAY_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.indexOf(streamId) < html.indexOf("req-client-42"), "newest first");
        assertTrue(html.contains("follow-up → <code>a</code> ok 200"), html);
        assertTrue(html.contains("2 searches"), html);
        assertTrue(html.contains("<dd id=\"total-searches\">2</dd>"), html);
        assertFalse(html.contains(KEY) || html.contains(GATEWAY_KEY) || html.contains(base), "a key or a base");
    }

    /** The lines of one request, once its closing {@code request} line is there. */
    private List<JsonNode> finishedLinesOf(String requestId) {
        return TestConditions.await(
                Duration.ofSeconds(10),
                () -> linesOf(requestId),
                found -> found.stream().anyMatch(l -> l.get("event").asText().equals("request")));
    }

    private List<JsonNode> linesOf(String requestId) {
        List<JsonNode> found = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                JsonNode node = readTree(line);
                if (node.get("request_id").asText().equals(requestId)) {
                    found.add(node);
                }
            }
        }
        return found;
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String body, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages"))
                .header("x-api-key", GATEWAY_KEY)
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            request.header("x-request-id", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
