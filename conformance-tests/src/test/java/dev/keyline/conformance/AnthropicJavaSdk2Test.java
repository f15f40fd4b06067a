package dev.keyline.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Anthropic Java SDK 2.x, which authenticates with {@code x-api-key} and {@code anthropic-version: 2023-06-01}
 * like Claude Code, against the launched gateway.
 */
class AnthropicJavaSdk2Test {

    private static final String GATEWAY_KEY = "sk-gateway-sdk2";
    private static final String DEPLOYMENT_KEY = "sk-deployment-sdk2";
    private static final String PATH = "/anthropic/v1/messages";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    static Path dir;

    private static LaunchedGateway keyline;
    private static AnthropicClient sdk;

    @BeforeAll
    static void launch() throws Exception {
        keyline = LaunchedGateway.start(
                dir, """
                model_list:
                  - model_name: qwen-coder
                    litellm_params:
                      model: anthropic/qwen3-coder-plus
                      api_base: %s/anthropic
                      api_key: os.environ/QWEN_KEY
                general_settings:
                  master_key: %s
                """.formatted(upstream.baseUrl(), GATEWAY_KEY), Map.of("QWEN_KEY", DEPLOYMENT_KEY));
        sdk = AnthropicOkHttpClient.builder()
                .baseUrl(keyline.baseUrl())
                .apiKey(GATEWAY_KEY)
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        sdk.close();
        keyline.close();
    }

    @Test
    void createAndStream_workThroughKeyline() {
        UpstreamFixtures.answerMessages(upstream, PATH, "Streamed");
        MessageCreateParams params = MessageCreateParams.builder()
                .model("qwen-coder")
                .maxTokens(32)
                .addUserMessage("hello")
                .build();

        Message message = sdk.messages().create(params);
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertEquals("Hello!", message.content().getFirst().asText().text());
        assertEquals(
                "Streamed", accumulator.message().content().getFirst().asText().text());
        upstream.verify(
                2,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("x-api-key", equalTo(DEPLOYMENT_KEY))
                        .withHeader("anthropic-version", equalTo("2023-06-01")));
    }
}
