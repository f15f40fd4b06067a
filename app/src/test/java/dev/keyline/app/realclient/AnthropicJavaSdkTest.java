package dev.keyline.app.realclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.models.ModelInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official Anthropic Java SDK (3.x: Bearer auth, anthropic-version 2026-10-21) against a running Keyline. */
class AnthropicJavaSdkTest {

    private static final String GATEWAY_KEY = "sk-keyline-gateway-31";
    private static final String DEPLOYMENT_KEY = "sk-tencent-deployment-88";
    private static final String PATH = "/plan/anthropic/v1/messages";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static KeylineServer keyline;
    private static AnthropicClient sdk;

    @BeforeAll
    static void startKeyline() throws IOException {
        // The README's example, as users copy it; only the upstream's address is the fake's.
        String config = Files.readString(Path.of("..", "examples", "kimi-tencent.yaml"))
                .replace("https://api.lkeap.cloud.tencent.com", upstream.baseUrl());
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("TENCENT_API_KEY", DEPLOYMENT_KEY, "KEYLINE_MASTER_KEY", GATEWAY_KEY))
                        .parse(config, "kimi-tencent.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());
        sdk = AnthropicOkHttpClient.builder()
                .baseUrl(keyline.baseUrl())
                .apiKey(GATEWAY_KEY)
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stopKeyline() {
        sdk.close();
        keyline.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @Test
    void createMessage_returnsTheDeploymentsAnswer() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(UpstreamFixtures.MESSAGE)));

        Message message = sdk.messages().create(params());

        assertEquals("Hello!", message.content().getFirst().asText().text());
        assertEquals(12, message.usage().inputTokens());
        upstream.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-api-key", equalTo(DEPLOYMENT_KEY))
                .withHeader("authorization", absent())
                .withRequestBody(matchingJsonPath("$.model", equalTo("kimi-k2.5"))));
    }

    @Test
    void createStreaming_deliversEveryEvent_andFoldsIntoTheMessage() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(UpstreamFixtures.stream("Hello from the stream"))));

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        Message message = accumulator.message();
        assertEquals(
                "Hello from the stream", message.content().getFirst().asText().text());
        assertEquals(3, message.usage().outputTokens());
        upstream.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-api-key", equalTo(DEPLOYMENT_KEY))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true"))));
    }

    @Test
    void theSdkSees_theUpstreamsOwnAuthError() {
        upstream.stubFor(post(PATH).willReturn(aResponse().withStatus(401).withBody(UpstreamFixtures.UNAUTHORIZED)));

        UnauthorizedException error =
                assertThrows(UnauthorizedException.class, () -> sdk.messages().create(params()));

        assertTrue(error.getMessage().contains("invalid x-api-key"), error.getMessage());
    }

    @Test
    void aWrongGatewayKey_isRefusedBeforeAnyUpstreamCall() {
        AnthropicClient stranger = AnthropicOkHttpClient.builder()
                .baseUrl(keyline.baseUrl())
                .apiKey("sk-not-the-key")
                .maxRetries(0)
                .build();
        try {
            assertThrows(UnauthorizedException.class, () -> stranger.messages().create(params()));
        } finally {
            stranger.close();
        }
        assertEquals(0, upstream.getAllServeEvents().size());
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder()
                .model("kimi-k2.5-tencent-claude")
                .maxTokens(64)
                .addUserMessage("hello")
                .build();
    }

    @Test
    void countTokens_isAnsweredByTheDeploymentsOwnCount_atItsBaseWithItsKey() {
        upstream.stubFor(post(PATH + "/count_tokens")
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"input_tokens\":321}")));

        MessageTokensCount count = sdk.messages()
                .countTokens(MessageCountTokensParams.builder()
                        .model("kimi-k2.5-tencent-claude")
                        .addUserMessage("hello")
                        .build());

        assertEquals(321L, count.inputTokens());
        upstream.verify(postRequestedFor(urlEqualTo(PATH + "/count_tokens"))
                .withHeader("x-api-key", equalTo(DEPLOYMENT_KEY))
                .withHeader("authorization", absent())
                .withRequestBody(matchingJsonPath("$.model", equalTo("kimi-k2.5"))));
    }

    @Test
    void modelsListAndRetrieve_showTheModelGroups_andNothingOfTheDeployments() {
        List<ModelInfo> models = sdk.models().list().autoPager().stream().toList();

        assertEquals(
                List.of("kimi-k2.5-tencent-claude"),
                models.stream().map(ModelInfo::id).toList());
        assertEquals(
                "kimi-k2.5-tencent-claude",
                sdk.models().retrieve("kimi-k2.5-tencent-claude").displayName());
        assertThrows(NotFoundException.class, () -> sdk.models().retrieve("kimi-k2.5"));
        assertEquals(0, upstream.getAllServeEvents().size(), "no upstream is asked");
    }
}
