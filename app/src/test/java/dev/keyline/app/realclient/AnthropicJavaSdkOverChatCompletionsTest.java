package dev.keyline.app.realclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.WebSearchTool20250305;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Anthropic Java SDK 3.x asking for web search through Keyline configured from examples/vllm-websearch.yaml,
 * in front of a model served over chat completions: the SDK parses its typed search blocks, streamed or not, and
 * every hop is a chat completions call with the deployment's Bearer key.
 */
class AnthropicJavaSdkOverChatCompletionsTest {

    private static final String KEY = "sk-vllm-sdk3-31";
    private static final String GATEWAY_KEY = "sk-keyline-gateway-sdk3";
    private static final String PATH = "/v1/chat/completions";

    @RegisterExtension
    static WireMockExtension vllm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .resetOnEachTest(false)
            .build();

    @RegisterExtension
    static WireMockExtension searxng = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .resetOnEachTest(false)
            .build();

    private static KeylineServer keyline;
    private static AnthropicClient sdk;

    @BeforeAll
    static void start() throws IOException {
        String search = "{\"id\":\"call_s\",\"type\":\"function\",\"function\":{\"name\":\"web_search\","
                + "\"arguments\":\"{\\\"query\\\":\\\"java 25\\\"}\"}}";
        for (boolean stream : new boolean[] {false, true}) {
            String asked = "\"stream\":" + stream;
            vllm.stubFor(post(PATH)
                    .withRequestBody(containing(asked))
                    .withRequestBody(not(containing("\"role\":\"tool\"")))
                    .willReturn(answer(
                            stream,
                            "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\","
                                    + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                                    + search + "]}}],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":8}}",
                            "{\"role\":\"assistant\",\"tool_calls\":["
                                    + search.replace("{\"id\"", "{\"index\":0,\"id\"") + "]}",
                            "tool_calls",
                            40,
                            8)));
            vllm.stubFor(post(PATH)
                    .withRequestBody(containing(asked))
                    .withRequestBody(containing("\"role\":\"tool\""))
                    .willReturn(answer(
                            stream,
                            "{\"id\":\"chatcmpl-2\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
                                    + "\"message\":{\"role\":\"assistant\",\"content\":\"JDK 25 is out.\"}}],"
                                    + "\"usage\":{\"prompt_tokens\":90,\"completion_tokens\":6}}",
                            "{\"role\":\"assistant\",\"content\":\"JDK 25 is out.\"}",
                            "stop",
                            90,
                            6)));
        }
        searxng.stubFor(get(urlPathEqualTo("/search"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"results\":[{\"url\":\"https://openjdk.example/25\",\"title\":\"JDK 25\","
                                + "\"content\":\"JDK 25 is out.\"}]}")));
        // The example as users copy it; only the servers' addresses are the fakes'.
        String config = Files.readString(Path.of("..", "examples", "vllm-websearch.yaml"))
                .replace("http://127.0.0.1:18090", vllm.baseUrl())
                .replace("http://127.0.0.1:8888", searxng.baseUrl());
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("VLLM_KEY", KEY, "KEYLINE_MASTER_KEY", GATEWAY_KEY))
                        .parse(config, "vllm-websearch.yaml"),
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
    static void stop() {
        sdk.close();
        keyline.close();
    }

    @Test
    void createAndCreateStreaming_parseTheSameTypedSearchBlocks() {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("local-qwen")
                .maxTokens(256)
                .addTool(WebSearchTool20250305.builder().maxUses(2L).build())
                .addUserMessage("When was Java 25 released?")
                .build();

        Message json = sdk.messages().create(params);
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();

        for (Message message : List.of(json, streamed)) {
            List<ContentBlock> content = message.content();
            assertEquals(3, content.size(), content.toString());
            assertEquals("web_search", content.get(0).asServerToolUse().name().toString());
            assertEquals(
                    "https://openjdk.example/25",
                    content.get(1)
                            .asWebSearchToolResult()
                            .content()
                            .asResultBlocks()
                            .getFirst()
                            .url());
            assertEquals("JDK 25 is out.", content.get(2).asText().text());
            assertEquals(130L, message.usage().inputTokens());
            assertEquals(14L, message.usage().outputTokens());
            assertEquals(1L, message.usage().serverToolUse().orElseThrow().webSearchRequests());
        }
        vllm.verify(4, postRequestedFor(urlEqualTo(PATH)).withHeader("authorization", equalTo("Bearer " + KEY)));
        assertTrue(
                vllm.getAllServeEvents().stream().allMatch(e -> e.getResponse().getStatus() == 200));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(
            boolean stream, String json, String delta, String finish, int in, int out) {
        if (!stream) {
            return aResponse().withHeader("content-type", "application/json").withBody(json);
        }
        return aResponse()
                .withHeader("content-type", "text/event-stream")
                .withBody("data: {\"id\":\"chatcmpl-s\",\"choices\":[{\"index\":0,\"delta\":" + delta
                        + ",\"finish_reason\":null}]}\n\n"
                        + "data: {\"id\":\"chatcmpl-s\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\""
                        + finish + "\"}]}\n\n"
                        + "data: {\"id\":\"chatcmpl-s\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + in
                        + ",\"completion_tokens\":" + out + "}}\n\n"
                        + "data: [DONE]\n\n");
    }
}
