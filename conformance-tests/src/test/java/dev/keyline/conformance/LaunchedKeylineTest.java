package dev.keyline.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.domain.testing.TestConditions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyline as a user runs it: the built jar in its own process, a LiteLLM-style config with one deployment behind a
 * custom api_base, and decoy {@code ANTHROPIC_*} variables that must never be used.
 */
class LaunchedKeylineTest {

    private static final String DEPLOYMENT_KEY = "sk-tencent-launch-4242";
    private static final String DECOY_KEY = LaunchedGateway.DECOY_KEY;
    private static final String GATEWAY_KEY = "sk-gateway-launch-77";
    private static final String PATH = "/plan/anthropic/v1/messages";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HELLO = """
            {"model":"kimi-k2.5-tencent-claude","max_tokens":64,"messages":[{"role":"user","content":"hello"}]}""";

    @RegisterExtension
    static WireMockExtension upstream = LaunchedGateway.loopbackUpstream();

    @TempDir
    static Path dir;

    private static LaunchedGateway keyline;

    @BeforeAll
    static void launch() throws Exception {
        UpstreamFixtures.answerMessages(upstream, PATH, "Hi");
        // The README's example, as users copy it; only the upstream's address is the fake's.
        String example = Files.readString(Path.of("..", "examples", "kimi-tencent.yaml"));
        keyline = LaunchedGateway.start(
                dir,
                example.replace("https://api.lkeap.cloud.tencent.com", upstream.baseUrl()),
                Map.of("TENCENT_API_KEY", DEPLOYMENT_KEY, "KEYLINE_MASTER_KEY", GATEWAY_KEY));
        Files.writeString(
                Path.of("target", "launch-figures.txt"),
                "keyline started in " + keyline.startup().toMillis() + " ms, RSS " + keyline.residentKib() / 1024
                        + " MiB\n");
    }

    @AfterAll
    static void stop() throws Exception {
        keyline.close();
    }

    @Test
    void jsonAndSse_areRelayedWithTheDeploymentsKey_andTheDecoysAreNeverTouched() throws Exception {
        upstream.resetRequests();
        HttpResponse<String> json = send(HELLO);
        HttpResponse<String> sse = send(HELLO.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\""));

        assertEquals(200, json.statusCode(), json.body());
        assertEquals(
                "Hello!", MAPPER.readTree(json.body()).at("/content/0/text").asText());
        String version = json.headers().firstValue("x-keyline-version").orElse("");
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), "the built jar states its version: '" + version + "'");
        assertEquals(200, sse.statusCode(), sse.body());
        assertTrue(sse.body().contains("event: message_stop"), sse.body());
        upstream.verify(2, postRequestedFor(urlEqualTo(PATH)).withHeader("x-api-key", equalTo(DEPLOYMENT_KEY)));
        // The decoy's journal is never reset: no test of this class may have reached it.
        assertEquals(List.of(), keyline.decoyRequests(), "a request reached the ANTHROPIC_BASE_URL decoy");
        upstream.getAllServeEvents()
                .forEach(event -> assertFalse(
                        event.getRequest().getHeaders().all().toString().contains(DECOY_KEY),
                        "the decoy key was sent upstream"));
    }

    @Test
    void badInputAndBadKeys_getAnthropicShapedErrors() throws Exception {
        assertError(send("{\"model\":", GATEWAY_KEY), 400, "invalid_request_error");
        assertError(send(HELLO, "sk-wrong"), 401, "authentication_error");
        assertError(
                send(HELLO.replace("kimi-k2.5-tencent-claude", "claude-opus-4"), GATEWAY_KEY), 404, "not_found_error");
    }

    @Test
    void theLogs_neverShowAKey() throws Exception {
        send(HELLO, "sk-wrong");
        String served = send(HELLO).headers().firstValue("request-id").orElseThrow();

        // The access line is written after the answer, and batched: wait for this test's own (the refused
        // request, sent first, has no access line of its own; what it logged is written by then).
        String output =
                TestConditions.await(Duration.ofSeconds(20), keyline::output, out -> out.contains("request=" + served));
        for (String secret : new String[] {DEPLOYMENT_KEY, DECOY_KEY, GATEWAY_KEY, "sk-wrong"}) {
            assertFalse(output.contains(secret), "the output shows " + secret);
        }
    }

    @Test
    void aConfigNamingAMissingVariable_stopsTheStart_namingTheKeyPath() throws Exception {
        LaunchedGateway.Result result = LaunchedGateway.refuse(dir, """
                model_list:
                  - model_name: m
                    litellm_params:
                      model: anthropic/kimi-k2.5
                      api_base: http://127.0.0.1:9/plan/anthropic
                      api_key: os.environ/NOT_SET_ANYWHERE_1
                """, Map.of());

        assertEquals(2, result.exitCode(), result.output());
        assertEquals(
                "keyline: model_list[0].litellm_params.api_key: environment variable NOT_SET_ANYWHERE_1 is not set",
                result.output().strip());
        assertEquals(List.of(), result.decoyRequests());
    }

    /** The trap a new user hit: a misspelled api_base used to send the Tencent key to api.anthropic.com. */
    @Test
    void aMisspelledApiBase_stopsTheStart_andTheKeyReachesNoSocket() throws Exception {
        String example = Files.readString(Path.of("..", "examples", "kimi-tencent.yaml"));
        String typo = example.replace("api_base: https://api.lkeap", "api_bsae: https://api.lkeap")
                .replace("https://api.lkeap.cloud.tencent.com", upstream.baseUrl());
        int upstreamCallsBefore = upstream.getAllServeEvents().size();

        LaunchedGateway.Result result = LaunchedGateway.refuse(
                dir, typo, Map.of("TENCENT_API_KEY", DEPLOYMENT_KEY, "KEYLINE_MASTER_KEY", GATEWAY_KEY));

        assertEquals(2, result.exitCode(), result.output());
        assertEquals(
                "keyline: model_list[0].litellm_params.api_bsae: unknown setting; did you mean api_base? (and 1 more:"
                        + " keyline check --config FILE lists them all)",
                result.output().strip());
        assertEquals(List.of(), result.decoyRequests(), "the decoy standing for the default host was called");
        assertEquals(upstreamCallsBefore, upstream.getAllServeEvents().size());
        assertFalse(result.output().contains(DEPLOYMENT_KEY));
    }

    private HttpResponse<String> send(String body) throws Exception {
        return send(body, GATEWAY_KEY);
    }

    private HttpResponse<String> send(String body, String gatewayKey) throws Exception {
        return keyline.post("/v1/messages", body, Map.of("x-api-key", gatewayKey, "anthropic-version", "2023-06-01"));
    }

    private static void assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = MAPPER.readTree(response.body());
        assertEquals("error", body.get("type").asText());
        assertEquals(type, body.at("/error/type").asText(), response.body());
    }
}
