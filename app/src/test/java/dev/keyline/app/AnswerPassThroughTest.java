package dev.keyline.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.app.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A JSON answer that already has the shape Keyline writes reaches a Messages client as the upstream's bytes (its member
 * order, spacing and number spelling kept), and is still counted; one that needs normalising is normalised, as before;
 * the chat door translates either.
 */
class AnswerPassThroughTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Anthropic API's shape, spaced and ordered as an upstream might write it. */
    private static final String NORMALISED = """
            {"type": "message", "id": "msg_01", "role": "assistant", "model": "claude-x",
             "content": [{"type": "text", "text": "caf\\u00e9 \uD83D\uDE80"},
                         {"type": "tool_use", "id": "toolu_1", "name": "get", "input": {"n": 1.50}}],
             "stop_sequence": null, "stop_reason": "tool_use",
             "usage": {"output_tokens": 8, "input_tokens": 12, "cache_read_input_tokens": 0,
                       "cache_creation_input_tokens": 3, "service_tier": "standard"}}""";
    /** No cache counts: Keyline writes them as 0, as it always has. */
    private static final String INCOMPLETE = """
            {"id":"msg_02","type":"message","role":"assistant","model":"claude-x",
             "content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":5,"output_tokens":2}}""";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private final HttpClient http = HttpClient.newHttpClient();
    private KeylineServer keyline;

    @BeforeEach
    void start() {
        upstream.stubFor(post(urlPathEqualTo("/whole/v1/messages"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(NORMALISED)));
        upstream.stubFor(post(urlPathEqualTo("/partial/v1/messages"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(INCOMPLETE)));
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of()).parse("""
                        model_list:
                          - model_name: whole
                            litellm_params: {model: anthropic/claude-x, api_base: "%1$s/whole", api_key: sk-up-1,
                                             input_cost_per_token: 1e-6, output_cost_per_token: 2e-6}
                          - model_name: partial
                            litellm_params: {model: anthropic/claude-x, api_base: "%1$s/partial", api_key: sk-up-2}
                        """.formatted(upstream.baseUrl()), "pass-through.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());
    }

    @AfterEach
    void stop() {
        keyline.close();
    }

    @Test
    void anAnswerInTheNormalisedShapeGoesAsTheUpstreamWroteIt() throws Exception {
        HttpResponse<String> answer = send("/v1/messages", "whole");
        assertEquals(200, answer.statusCode());
        assertEquals(NORMALISED, answer.body(), "byte for byte");

        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        // Input counts cache reads and writes: 12 + 0 + 3.
        assertTrue(
                tokens(metrics, "input").endsWith(" 15.0"), "the usage read without decoding is counted:\n" + metrics);
        assertTrue(tokens(metrics, "output").endsWith(" 8.0"), metrics);
    }

    @Test
    void anAnswerThatNeedsNormalisingIsNormalised() throws Exception {
        HttpResponse<String> answer = send("/v1/messages", "partial");
        assertEquals(200, answer.statusCode());
        JsonNode usage = JSON.readTree(answer.body()).path("usage");
        assertEquals(0, usage.path("cache_creation_input_tokens").asInt(-1), answer.body());
        assertEquals(0, usage.path("cache_read_input_tokens").asInt(-1), answer.body());
        assertEquals(5, usage.path("input_tokens").asInt(), answer.body());
    }

    @Test
    void theChatDoorTranslatesAVerbatimAnswer() throws Exception {
        HttpResponse<String> answer = send("/v1/chat/completions", "whole");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode choice = JSON.readTree(answer.body()).path("choices").path(0);
        assertEquals("café 🚀", choice.path("message").path("content").asText(), answer.body());
        assertEquals(
                "get",
                choice.path("message")
                        .path("tool_calls")
                        .path(0)
                        .path("function")
                        .path("name")
                        .asText());
        // Chat counts cached input in prompt_tokens: 12 + 3.
        assertEquals(
                15,
                JSON.readTree(answer.body()).path("usage").path("prompt_tokens").asInt(),
                answer.body());
    }

    private static String tokens(String metrics, String type) {
        return metrics.lines()
                .filter(l -> l.startsWith("gen_ai_client_token_usage_sum{")
                        && l.contains("gen_ai_token_type=\"" + type + "\"")
                        && l.contains("model_group=\"whole\""))
                .findFirst()
                .orElse("(no " + type + " tokens for the group)");
    }

    private HttpResponse<String> send(String path, String model) throws Exception {
        String body =
                "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("content-type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + keyline.port();
    }
}
