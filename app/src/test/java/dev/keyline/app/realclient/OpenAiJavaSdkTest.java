package dev.keyline.app.realclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official OpenAI Java SDK on Keyline's chat completions front door, to an Anthropic-compatible deployment and
 * to an OpenAI-compatible one: create, stream, and a tool call's round trip, each hop with its deployment's key.
 */
class OpenAiJavaSdkTest {

    private static final String GATEWAY_KEY = "sk-gateway-openai-sdk";
    private static final String KIMI_KEY = "sk-kimi-openai-sdk";
    private static final String VLLM_KEY = "sk-vllm-openai-sdk";
    private static final String KIMI_PATH = "/plan/anthropic/v1/messages";
    private static final String VLLM_PATH = "/v1/chat/completions";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static KeylineServer keyline;
    private static OpenAIClient sdk;

    @BeforeAll
    static void start() {
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KIMI_KEY", KIMI_KEY, "VLLM_KEY", VLLM_KEY))
                        .parse("""
                                model_list:
                                  - model_name: kimi
                                    litellm_params:
                                      model: anthropic/kimi-k2.5
                                      api_base: %s/plan/anthropic
                                      api_key: os.environ/KIMI_KEY
                                  - model_name: qwen
                                    litellm_params:
                                      model: hosted_vllm/qwen3
                                      api_base: %s/v1
                                      api_key: os.environ/VLLM_KEY
                                general_settings:
                                  master_key: %s
                                """.formatted(upstream.baseUrl(), upstream.baseUrl(), GATEWAY_KEY), "c.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());
        sdk = OpenAIOkHttpClient.builder()
                .baseUrl(keyline.baseUrl() + "/v1")
                .apiKey(GATEWAY_KEY)
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        sdk.close();
        keyline.close();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    @Test
    void createAndStream_toAnAnthropicCompatibleDeployment() {
        UpstreamFixtures.answerMessages(upstream, KIMI_PATH, "Streamed hello");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("kimi")
                .addSystemMessage("Be brief.")
                .addUserMessage("hello")
                .maxCompletionTokens(64)
                .build();

        ChatCompletion completion = sdk.chat().completions().create(params);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream =
                sdk.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertEquals(
                "Hello!", completion.choices().getFirst().message().content().orElseThrow());
        assertEquals("kimi", completion.model());
        assertEquals(
                "Streamed hello",
                accumulator
                        .chatCompletion()
                        .choices()
                        .getFirst()
                        .message()
                        .content()
                        .orElseThrow());
        upstream.verify(
                2,
                postRequestedFor(urlEqualTo(KIMI_PATH))
                        .withHeader("x-api-key", equalTo(KIMI_KEY))
                        .withRequestBody(matchingJsonPath("$.system", equalTo("Be brief.")))
                        .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("64"))));
    }

    @Test
    void createAndStream_toAnOpenAiCompatibleDeployment() {
        upstream.stubFor(post(VLLM_PATH)
                .withRequestBody(containing("\"stream\":false"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"id\":\"chatcmpl-v\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
                                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi from vLLM\"}}],"
                                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4}}")));
        upstream.stubFor(post(VLLM_PATH)
                .withRequestBody(containing("\"stream\":true"))
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
                                + "\"Hi from \"},\"finish_reason\":null}]}\n\n"
                                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a stream\"},"
                                + "\"finish_reason\":\"stop\"}]}\n\n"
                                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4}}\n\n"
                                + "data: [DONE]\n\n")));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("qwen")
                .addUserMessage("hello")
                .build();

        ChatCompletion completion = sdk.chat().completions().create(params);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat()
                .completions()
                .createStreaming(params.toBuilder()
                        .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertEquals(
                "Hi from vLLM",
                completion.choices().getFirst().message().content().orElseThrow());
        assertEquals(9L, completion.usage().orElseThrow().totalTokens());
        ChatCompletion streamed = accumulator.chatCompletion();
        assertEquals(
                "Hi from a stream",
                streamed.choices().getFirst().message().content().orElseThrow());
        assertEquals(4L, streamed.usage().orElseThrow().completionTokens());
        upstream.verify(
                2, postRequestedFor(urlEqualTo(VLLM_PATH)).withHeader("authorization", equalTo("Bearer " + VLLM_KEY)));
    }

    @Test
    void aToolCall_makesTheRoundTrip_asToolUseAndToolResultUpstream() {
        upstream.stubFor(post(KIMI_PATH)
                .withRequestBody(not(containing("tool_result")))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(
                                "{\"id\":\"msg_t\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"kimi-k2.5\","
                                        + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_w\",\"name\":\"get_weather\","
                                        + "\"input\":{\"city\":\"Oslo\"}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                                        + "\"usage\":{\"input_tokens\":20,\"output_tokens\":9}}")));
        upstream.stubFor(post(KIMI_PATH)
                .withRequestBody(containing("tool_result"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(UpstreamFixtures.MESSAGE)));
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("get_weather")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .build())
                        .build())
                .build();
        ChatCompletionCreateParams asked = ChatCompletionCreateParams.builder()
                .model("kimi")
                .addUserMessage("Weather in Oslo?")
                .addTool(weather)
                .build();

        ChatCompletion first = sdk.chat().completions().create(asked);
        ChatCompletionMessageFunctionToolCall call = first.choices()
                .getFirst()
                .message()
                .toolCalls()
                .orElseThrow()
                .getFirst()
                .asFunction();
        assertEquals("toolu_w", call.id());
        assertEquals("{\"city\":\"Oslo\"}", call.function().arguments());
        assertEquals(
                ChatCompletion.Choice.FinishReason.TOOL_CALLS,
                first.choices().getFirst().finishReason());

        ChatCompletion second = sdk.chat()
                .completions()
                .create(asked.toBuilder()
                        .addMessage(ChatCompletionAssistantMessageParam.builder()
                                .toolCalls(List.of(ChatCompletionMessageToolCall.ofFunction(call)))
                                .build())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId("toolu_w")
                                .content("12 degrees")
                                .build())
                        .build());

        assertEquals("Hello!", second.choices().getFirst().message().content().orElseThrow());
        upstream.verify(postRequestedFor(urlEqualTo(KIMI_PATH))
                .withRequestBody(matchingJsonPath("$.messages[1].content[0].type", equalTo("tool_use")))
                .withRequestBody(matchingJsonPath("$.messages[2].content[0].tool_use_id", equalTo("toolu_w")))
                .withRequestBody(matchingJsonPath("$.messages[2].content[0].content", equalTo("12 degrees"))));
    }

    @Test
    void errorsComeInOpenAisShape_withTheRightStatus() {
        NotFoundException unknown = assertThrows(
                NotFoundException.class,
                () -> sdk.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("no-such-group")
                                .addUserMessage("x")
                                .build()));
        assertTrue(unknown.getMessage().contains("no-such-group"), unknown.getMessage());
    }
}
