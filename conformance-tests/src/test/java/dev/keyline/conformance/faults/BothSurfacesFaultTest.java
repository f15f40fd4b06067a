package dev.keyline.conformance.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.conformance.kit.CommandLauncher;
import dev.keyline.conformance.kit.GatewayLauncher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The faults the router handles on {@code /v1/messages}, handled the same way on {@code /v1/chat/completions}: a 429
 * with Retry-After and a silent first byte go to the fallback, a 500 and a reset to the group mate, a cut stream and a
 * garbage event end the client's stream with an error in that surface's shape, never a success.
 */
class BothSurfacesFaultTest {

    /** The two front doors, and how each asks and answers. */
    enum Surface {
        MESSAGES("/v1/messages"),
        CHAT("/v1/chat/completions");

        final String path;

        Surface(String path) {
            this.path = path;
        }

        String body(String model, boolean stream) {
            return this == MESSAGES
                    ? "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                    : "{\"model\":\"" + model + "\",\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static FaultyUpstream upstream;
    private static GatewayLauncher.RunningGateway gateway;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        upstream = new FaultyUpstream();
        upstream.on(
                        "limited",
                        Answers.status(429, Answers.error("rate_limit_error", "slow"), Map.of("retry-after", "30")))
                .on("failing", Answers.status(500, Answers.error("api_error", "boom"), Map.of()))
                .on("resetting", Answers.reset())
                .on("silent", Answers.silent())
                .on("cutting", exchange -> {
                    Answers.streamHead(exchange, "half ");
                    exchange.reset();
                })
                .on("garbling", exchange -> {
                    Answers.streamHead(exchange, "so far ");
                    exchange.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"del");
                    Answers.streamTail(exchange);
                })
                .on("good", Answers.ok("good"));
        StringBuilder yaml = new StringBuilder("model_list:\n");
        for (String[] deployment : new String[][] {
            {"limited", "limited", ""},
            {"silent", "silent", "      stream_timeout: 1\n"},
            {"pair-500", "failing", "      order: 1\n"},
            {"pair-500", "good", "      order: 2\n"},
            {"pair-reset", "resetting", "      order: 1\n"},
            {"pair-reset", "good", "      order: 2\n"},
            {"cutting", "cutting", ""},
            {"garbling", "garbling", ""},
            {"backup", "good", ""}
        }) {
            yaml.append("  - model_name: ")
                    .append(deployment[0])
                    .append("\n    litellm_params:\n      model: anthropic/m\n      api_base: ")
                    .append(upstream.base(deployment[1]))
                    .append("\n      api_key: os.environ/FAULT_KEY\n")
                    .append(deployment[2]);
        }
        yaml.append("router_settings:\n  fallbacks:\n    - limited: [backup]\n    - silent: [backup]\n");
        Path work = Path.of("target", "both-surfaces").toAbsolutePath();
        Files.createDirectories(work);
        Path config = work.resolve("config.yaml");
        Files.writeString(config, yaml.toString());
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        gateway = new CommandLauncher(
                        java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                        work.resolve("gateway.log"))
                .launch(config, Map.of("FAULT_KEY", FaultSuite.KEY));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    @ParameterizedTest
    @EnumSource(Surface.class)
    void aRateLimitWithALongRetryAfter_goesToTheFallback(Surface surface) throws Exception {
        assertServedByGood(surface, "limited", false);
    }

    @ParameterizedTest
    @EnumSource(Surface.class)
    void aServerError_goesToTheGroupMate_streamed(Surface surface) throws Exception {
        assertServedByGood(surface, "pair-500", true);
    }

    @ParameterizedTest
    @EnumSource(Surface.class)
    void aResetBeforeHeaders_goesToTheGroupMate(Surface surface) throws Exception {
        assertServedByGood(surface, "pair-reset", false);
    }

    @ParameterizedTest
    @EnumSource(Surface.class)
    void aSilentFirstByte_goesToTheFallback_atTheStreamTimeout(Surface surface) throws Exception {
        long started = System.nanoTime();
        assertServedByGood(surface, "silent", true);
        assertTrue((System.nanoTime() - started) / 1_000_000 < 4_000, "left at stream_timeout (1 s)");
    }

    @ParameterizedTest
    @EnumSource(Surface.class)
    void aCutStream_endsWithAnErrorInTheSurfacesShape(Surface surface) throws Exception {
        assertEndsInError(surface, "cutting");
    }

    @ParameterizedTest
    @EnumSource(Surface.class)
    void aGarbageEvent_endsWithAnError_andNeverReachesTheClient(Surface surface) throws Exception {
        assertEndsInError(surface, "garbling");
    }

    private void assertServedByGood(Surface surface, String model, boolean stream) throws Exception {
        HttpResponse<String> response = send(surface, model, stream);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("fine from good", text(surface, response.body(), stream), response.body());
    }

    private void assertEndsInError(Surface surface, String model) throws Exception {
        HttpResponse<String> response = send(surface, model, true);
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> data = data(response.body());
        JsonNode last = data.getLast();
        assertTrue(
                surface == Surface.MESSAGES
                        ? last.path("type").asText().equals("error")
                        : last.path("error").path("message").isTextual(),
                response.body());
        assertFalse(response.body().contains("[DONE]"), "a broken stream is not passed off as complete");
        assertFalse(response.body().contains("message_stop"));
    }

    private HttpResponse<String> send(Surface surface, String model, boolean stream) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + surface.path))
                        .timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(surface.body(model, stream)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** @return every data line's JSON; a line that is not JSON fails the test: a client's parser would break */
    private static List<JsonNode> data(String body) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                all.add(MAPPER.readTree(line.substring(6)));
            }
        }
        return all;
    }

    private static String text(Surface surface, String body, boolean stream) throws IOException {
        if (!stream) {
            JsonNode root = MAPPER.readTree(body);
            return surface == Surface.MESSAGES
                    ? root.at("/content/0/text").asText()
                    : root.at("/choices/0/message/content").asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode event : data(body)) {
            text.append(
                    surface == Surface.MESSAGES
                            ? event.path("delta").path("text").asText("")
                            : event.at("/choices/0/delta/content").asText(""));
        }
        return text.toString();
    }
}
