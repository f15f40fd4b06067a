package dev.keyline.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.domain.testing.TestConditions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (docker stop, a Kubernetes rollout) lets a stream in flight finish before the gateway exits. */
class GracefulStopTest {

    @RegisterExtension
    static final WireMockExtension UPSTREAM = LaunchedGateway.loopbackUpstream();

    /** A short Anthropic stream, dribbled out over 2.5 s. */
    private static final Path STREAM = Path.of("src", "test", "resources", "streams", "short.sse");

    @Test
    void aStreamInFlight_finishes_beforeTheGatewayExits(@TempDir Path dir) throws Exception {
        UPSTREAM.stubFor(post(urlPathEqualTo("/v1/messages"))
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(Files.readString(STREAM))
                        .withChunkedDribbleDelay(8, 2_500)));
        String yaml = """
                model_list:
                  - model_name: m
                    litellm_params: {model: anthropic/m, api_base: "%s", api_key: os.environ/KEY}
                """.formatted(UPSTREAM.baseUrl());
        try (LaunchedGateway gateway = LaunchedGateway.start(dir, yaml, Map.of("KEY", "sk-graceful-1"));
                HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> stream = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"m\",\"max_tokens\":8,\"stream\":true,"
                                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // Stop once the stream is in flight: the upstream has the call (it dribbles its answer over 2.5 s).
            TestConditions.await(
                    Duration.ofSeconds(20), () -> UPSTREAM.getAllServeEvents().size(), calls -> calls >= 1);

            Duration stopping = gateway.terminate();
            HttpResponse<String> response = stream.get();

            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"message_stop\""), response.body());
            assertTrue(response.body().contains("here"), response.body());
            assertTrue(stopping.compareTo(Duration.ofSeconds(9)) < 0, "stopped after " + stopping);
        }
    }
}
