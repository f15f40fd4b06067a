package dev.keyline.app.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics} after a scripted scenario (a rate-limited deployment rested and retried elsewhere, a failing
 * group served by its fallback, a stream, an unknown model): the exact counts, in text a strict exposition reader
 * accepts, with no key in it.
 */
class MetricsScrapeTest {

    private static final String GATEWAY_KEY = "sk-metrics-gateway-1";
    private static final String KEY = "sk-metrics-deployment-2";
    private static final String MESSAGE = """
            {"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"hi"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":7,"output_tokens":3}}""";
    private static final String STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":0}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private final HttpClient http = HttpClient.newHttpClient();
    private KeylineServer keyline;

    @AfterEach
    void stop() {
        if (keyline != null) {
            keyline.close();
        }
    }

    @Test
    void theScrape_countsWhatHappened_exactly() throws Exception {
        upstream.stubFor(
                post(urlPathEqualTo("/a/v1/messages"))
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("retry-after", "30")
                                        .withBody(
                                                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}")));
        upstream.stubFor(post(urlPathEqualTo("/b/v1/messages"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(MESSAGE)));
        upstream.stubFor(post(urlPathEqualTo("/h/v1/messages"))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"down\"}}")));
        String base = upstream.baseUrl();
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEY", KEY, "GATEWAY_KEY", GATEWAY_KEY))
                        .parse("""
                                model_list:
                                  - model_name: g
                                    litellm_params: {model: anthropic/m, api_base: "%1$s/a", api_key: os.environ/KEY}
                                    model_info: {id: a}
                                  - model_name: g
                                    litellm_params: {model: anthropic/m, api_base: "%1$s/b", api_key: os.environ/KEY}
                                    model_info: {id: b}
                                  - model_name: h
                                    litellm_params: {model: anthropic/m, api_base: "%1$s/h", api_key: os.environ/KEY}
                                    model_info: {id: h1}
                                router_settings:
                                  num_retries: 1
                                  fallbacks: [{h: [g]}]
                                general_settings:
                                  master_key: os.environ/GATEWAY_KEY
                                """.formatted(base), "metrics.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());

        // g until deployment a has been met once: it answers 429, rests, and the retry goes to b.
        int toG = 0;
        while (upstream.countRequestsMatching(postRequestedFor(urlPathEqualTo("/a/v1/messages"))
                                .build())
                        .getCount()
                == 0) {
            assertEquals(200, send("g", false).statusCode());
            toG++;
            assertTrue(toG < 50, "the shuffle never picked deployment a");
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(200, send("g", false).statusCode());
        }
        toG += 5;
        assertEquals(200, send("h", false).statusCode(), "h fails, its fallback g serves");
        assertEquals(200, send("g", true).statusCode());
        assertEquals(404, send("claude-not-here", false).statusCode());

        assertEquals(401, scrape(null).statusCode(), "the metrics need the gateway key");
        HttpResponse<String> scrape = scrape(GATEWAY_KEY);
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        Map<String, Double> m = PrometheusText.read(scrape.body());

        assertEquals(
                toG + 1.0,
                m.get("keyline_requests_total{deployment=\"b\",model_group=\"g\",status=\"200\",surface=\"messages\"}"),
                "every JSON request to g and the stream");
        assertEquals(
                1.0,
                m.get("keyline_requests_total{deployment=\"b\",model_group=\"h\",status=\"200\",surface=\"messages\"}"),
                "the fallback's answer is counted under the group the client asked for");
        assertEquals(
                1.0,
                m.get(
                        "keyline_requests_total{deployment=\"none\",model_group=\"unknown\",status=\"404\",surface=\"messages\"}"));
        assertEquals(
                1.0,
                m.get("keyline_upstream_attempts_total{deployment=\"a\",model_group=\"g\",outcome=\"rate_limit\"}"));
        assertEquals(
                1.0,
                m.get("keyline_cooldowns_started_total{deployment=\"a\",model_group=\"g\",reason=\"rate_limit\"}"));
        assertEquals(
                2.0,
                m.get(
                        "keyline_upstream_attempts_total{deployment=\"h1\",model_group=\"h\",outcome=\"internal_server\"}"),
                "the first call and one retry");
        assertEquals(1.0, m.get("keyline_fallbacks_total{from_model_group=\"h\",to_model_group=\"g\"}"));
        assertEquals(
                toG + 1.0 + 1.0, // every g request, the fallback's and the stream
                m.get("keyline_upstream_attempts_total{deployment=\"b\",model_group=\"g\",outcome=\"ok\"}"));
        assertEquals(1.0, m.get("keyline_deployments_cooling{model_group=\"g\"}"));
        assertEquals(0.0, m.get("keyline_deployments_cooling{model_group=\"h\"}"));
        assertEquals(1.0, m.get("gen_ai_server_time_to_first_token_seconds_count{deployment=\"b\",model_group=\"g\"}"));
        assertEquals(
                toG + 1.0,
                m.get("keyline_upstream_duration_seconds_count{deployment=\"b\",model_group=\"g\"}"),
                "JSON answers from b");
        // Tokens: 7 in + 3 out per JSON answer, 5 in + 2 out for the stream.
        assertEquals(
                7.0 * (toG + 1) + 5,
                m.get("gen_ai_client_token_usage_sum{deployment=\"b\",gen_ai_token_type=\"input\",model_group=\"g\"}"));
        assertEquals(
                3.0 * (toG + 1) + 2,
                m.get(
                        "gen_ai_client_token_usage_sum{deployment=\"b\",gen_ai_token_type=\"output\",model_group=\"g\"}"));
        assertEquals(
                toG + 1.0,
                m.get("gen_ai_server_request_duration_seconds_count{model_group=\"g\",surface=\"messages\"}"),
                "g's JSON requests and the stream");
        assertFalse(scrape.body().contains(KEY) || scrape.body().contains(GATEWAY_KEY), "a key in the metrics");
        assertFalse(scrape.body().contains(base), "an upstream base in the metrics");
    }

    private HttpResponse<String> send(String model, boolean stream) throws Exception {
        if (stream) {
            upstream.stubFor(post(urlPathEqualTo("/b/v1/messages"))
                    .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("\"stream\":true"))
                    .willReturn(aResponse()
                            .withHeader("content-type", "text/event-stream")
                            .withBody(STREAM)));
        }
        return http.send(
                HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages"))
                        .header("x-api-key", GATEWAY_KEY)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":8,"
                                + (stream ? "\"stream\":true," : "")
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> scrape(String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/metrics"));
        if (key != null) {
            request.header("authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
