package dev.keyline.adapters.providers.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.MessageFold;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.routing.FallbackTrigger;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderClientContract;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The chat completions adapter: the provider contract, and the translation both ways on recorded shapes. */
class OpenAiProviderClientTest extends ProviderClientContract {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PATH = "/v1/chat/completions";

    private final OpenAiProviderClient client =
            new OpenAiProviderClient(ProviderHttpClients.standard(), MAPPER, InstantSource.system());

    @Override
    protected ProviderClient adapter() {
        return client;
    }

    @Override
    protected String provider() {
        return "hosted_vllm";
    }

    @Override
    protected String protocolPath() {
        return "/chat/completions";
    }

    @Override
    protected String answer(String text) {
        return chatAnswer(text);
    }

    @Override
    protected List<String> streamFrames(String text) {
        return List.of(
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":" + MAPPER.valueToTree(text) + "}", null),
                chunk("{}", "\"stop\""),
                "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}\n\n",
                "data: [DONE]\n\n");
    }

    @Override
    protected Map<String, String> protocolHeaders(ProtocolHeaders client) {
        return Map.of(); // the anthropic-* headers mean nothing to a chat completions server
    }

    static String chatAnswer(String text) {
        return "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion\",\"model\":\"qwen3\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":" + MAPPER.valueToTree(text) + "},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4}}}";
    }

    static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    private static Deployment vllm(String origin) {
        return TestDeployments.withProvider(
                TestDeployments.at(origin + "/v1", AuthScheme.BEARER, Duration.ofSeconds(5)), "hosted_vllm");
    }

    private static MessagesRequest anthropic(String json) {
        return new MessagesRequestCodec(MAPPER).read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ProviderRequest request(String json) {
        return new ProviderRequest(anthropic(json), ProtocolHeaders.defaults());
    }

    @Test
    void aRequest_isWrittenAsChatCompletions_withEveryPartInItsPlace() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(chatAnswer("done"))));

        client.send(vllm(upstream.baseUrl()), request("""
                {"model":"group","max_tokens":100,"system":[{"type":"text","text":"Be brief."}],
                 "temperature":0.2,"top_p":0.9,"stop_sequences":["END"],"metadata":{"user_id":"u-7"},
                 "thinking":{"type":"enabled","budget_tokens":1024},
                 "tools":[{"name":"lookup","description":"Looks up","input_schema":{"type":"object",
                   "properties":{"q":{"type":"string"}}}}],
                 "tool_choice":{"type":"any","disable_parallel_tool_use":true},
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"Find x"},
                    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}]},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"s"},
                    {"type":"text","text":"Looking."},
                    {"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"x"}}]},
                  {"role":"user","content":[{"type":"text","text":"and then?"},
                    {"type":"tool_result","tool_use_id":"toolu_1","content":"x is 4"}]}]}
                """));

        upstream.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("authorization", equalTo("Bearer " + KEY))
                .withHeader("x-api-key", absent())
                .withHeader("anthropic-version", absent())
                .withRequestBody(equalToJson("""
                        {"model":"kimi-k2.5","max_tokens":100,"temperature":0.2,"top_p":0.9,"stop":["END"],
                         "user":"u-7","stream":false,"parallel_tool_calls":false,"tool_choice":"required",
                         "tools":[{"type":"function","function":{"name":"lookup","description":"Looks up",
                           "parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}],
                         "messages":[
                          {"role":"system","content":"Be brief."},
                          {"role":"user","content":[{"type":"text","text":"Find x"},
                            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}}]},
                          {"role":"assistant","content":"Looking.","tool_calls":[{"id":"toolu_1","type":"function",
                            "function":{"name":"lookup","arguments":"{\\"q\\":\\"x\\"}"}}]},
                          {"role":"tool","tool_call_id":"toolu_1","content":"x is 4"},
                          {"role":"user","content":"and then?"}]}
                        """)));
    }

    /** The shape of Claude Code 2.1.330's turn after its tool search (docs: real-clients-and-peers). */
    @Test
    void claudeCodesTurn_isExpressible_itsHintsLeftOut_itsSystemMessagesAndToolReferencesKept() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(chatAnswer("done"))));

        ProviderReply reply = client.send(vllm(upstream.baseUrl()), request("""
                {"model":"local-qwen","max_tokens":128000,"stream":false,
                 "thinking":{"type":"adaptive","display":"omitted"},
                 "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
                 "output_config":{"effort":"medium"},
                 "metadata":{"user_id":"{\\"device_id\\":\\"d\\"}"},
                 "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.330;"},
                           {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
                 "tools":[{"name":"ToolSearch","input_schema":{"type":"object"}},
                          {"name":"WebSearch","input_schema":{"type":"object"},"defer_loading":true}],
                 "messages":[
                  {"role":"user","content":"Search the web: when was Java 25 released?"},
                  {"role":"system","content":"Deferred tools: WebSearch, WebFetch"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_ts","name":"ToolSearch",
                    "input":{"query":"select:WebSearch","max_results":1}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_ts",
                    "content":[{"type":"tool_reference","tool_name":"WebSearch"}]},
                    {"type":"text","text":"Tool loaded."}]}]}
                """));

        assertInstanceOf(ProviderReply.Completed.class, reply);
        upstream.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"messages":[
                  {"role":"system","content":"x-anthropic-billing-header: cc_version=2.1.330;\\n\\nYou are Claude Code."},
                  {"role":"user","content":"Search the web: when was Java 25 released?"},
                  {"role":"system","content":"Deferred tools: WebSearch, WebFetch"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_ts","type":"function",
                    "function":{"name":"ToolSearch","arguments":"{\\"query\\":\\"select:WebSearch\\",\\"max_results\\":1}"}}]},
                  {"role":"tool","tool_call_id":"toolu_ts","content":"Tool WebSearch loaded."},
                  {"role":"user","content":"Tool loaded."}]}
                """, true, true)));
    }

    @Test
    void whatChatCompletionsCannotExpress_isAClear400_andNoCall() {
        ProviderReply reply = client.send(vllm(upstream.baseUrl()), request("""
                {"model":"g","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}
                """));

        ProviderFailure.InvalidRequest refused = assertInstanceOf(
                ProviderFailure.InvalidRequest.class,
                assertInstanceOf(ProviderReply.Failed.class, reply).failure());
        assertEquals(400, refused.reply().status());
        assertTrue(
                refused.reply().body().contains("'document' block cannot be expressed"),
                refused.reply().body());
        assertEquals(0, upstream.getAllServeEvents().size());
    }

    @Test
    void anAnswerWithParallelToolCalls_becomesToolUseBlocks_withTheClientsModelAndSplitUsage() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("""
                        {"id":"chatcmpl-9","choices":[{"index":0,"finish_reason":"tool_calls","message":{
                          "role":"assistant","content":null,"tool_calls":[
                           {"id":"call_a","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":\\"a\\"}"}},
                           {"id":"call_b","type":"function","function":{"name":"lookup","arguments":"not json"}}]}}],
                         "usage":{"prompt_tokens":20,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":8}}}
                        """)));

        MessageResponse response = assertInstanceOf(
                        ProviderReply.Completed.class,
                        client.send(
                                vllm(upstream.baseUrl()),
                                request("{\"model\":\"my-group\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                                        + "\"content\":\"hi\"}]}")))
                .response();

        assertEquals("my-group", response.model());
        assertEquals("msg_9", response.id());
        assertEquals(Optional.of("tool_use"), response.stopReason());
        List<ContentBlock> blocks = response.content();
        assertEquals(2, blocks.size());
        ContentBlock.ToolUse first = assertInstanceOf(ContentBlock.ToolUse.class, blocks.get(0));
        assertEquals("call_a", first.id());
        assertEquals("a", first.input().get("q").orElseThrow());
        assertTrue(
                assertInstanceOf(ContentBlock.ToolUse.class, blocks.get(1))
                        .input()
                        .isEmpty(),
                "bad JSON → {}");
        assertEquals(12, response.usage().inputTokens());
        assertEquals(8, response.usage().cacheReadInputTokens());
        assertEquals(7, response.usage().outputTokens());
    }

    @Test
    void aStreamWithTextAndToolCallsSplitAcrossChunks_foldsToTheSameMessageAsItsParts() throws Exception {
        streamReplies(
                String.join(
                        "",
                        chunk("{\"role\":\"assistant\",\"content\":\"Let me \"}", null),
                        chunk("{\"content\":\"look.\"}", null),
                        chunk(
                                "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":"
                                        + "\"lookup\",\"arguments\":\"{\\\"q\\\":\"}}]}",
                                null),
                        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"java\\\"}\"}}]}", null),
                        chunk(
                                "{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":"
                                        + "\"lookup\",\"arguments\":\"{}\"}}]}",
                                null),
                        chunk("{}", "\"tool_calls\""),
                        "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":11}}\n\n"));

        List<StreamStep> steps = drain(client.stream(vllm(upstream.baseUrl()), request(hello(true))));

        MessageResponse folded = fold(steps);
        assertEquals(Optional.of("tool_use"), folded.stopReason());
        assertEquals(3, folded.content().size());
        assertEquals("Let me look.", ((ContentBlock.Text) folded.content().get(0)).text());
        ContentBlock.ToolUse call = (ContentBlock.ToolUse) folded.content().get(1);
        assertEquals("call_1", call.id());
        assertEquals("java", call.input().get("q").orElseThrow());
        assertEquals("call_2", ((ContentBlock.ToolUse) folded.content().get(2)).id());
        assertEquals(30, folded.usage().inputTokens());
        assertEquals(11, folded.usage().outputTokens());
        assertInstanceOf(StreamStep.End.class, steps.getLast(), "no [DONE] needed after the usage chunk and the end");
    }

    @Test
    void aGarbageChunk_orAStreamCutBeforeItsFinishReason_endsInAnError_neverASuccess() throws Exception {
        streamReplies(chunk("{\"role\":\"assistant\",\"content\":\"Half\"}", null) + "data: {\"choices\":[{\"del\n\n");
        List<StreamStep> garbage = drain(client.stream(vllm(upstream.baseUrl()), request(hello(true))));
        assertInstanceOf(
                ProviderFailure.MalformedReply.class,
                assertInstanceOf(StreamStep.Broken.class, garbage.getLast()).failure());

        streamReplies(chunk("{\"role\":\"assistant\",\"content\":\"Half\"}", null) + "data: [DONE]\n\n");
        List<StreamStep> cut = drain(client.stream(vllm(upstream.baseUrl()), request(hello(true))));
        assertTrue(
                assertInstanceOf(StreamStep.Broken.class, cut.getLast())
                        .failure()
                        .toString()
                        .contains("before its finish_reason"),
                cut.getLast().toString());
        assertTrue(cut.stream()
                .noneMatch(
                        s -> s instanceof StreamStep.Event e && e.event().type().equals("message_stop")));
    }

    @Test
    void openAiErrors_becomeAnthropicErrors_andAContextLengthRefusalPicksTheContextWindowFallbacks() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
                                + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}")));

        ProviderFailure failure = assertInstanceOf(
                        ProviderReply.Failed.class, client.send(vllm(upstream.baseUrl()), request(hello(false))))
                .failure();

        ProviderFailure.InvalidRequest invalid = assertInstanceOf(ProviderFailure.InvalidRequest.class, failure);
        assertTrue(
                invalid.reply().body().startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\""));
        assertTrue(invalid.reply().body().contains("maximum context length is 8192 tokens"));
        assertEquals(FallbackTrigger.CONTEXT_WINDOW, FallbackTrigger.of(failure));
    }

    @Test
    void aRateLimit_keepsOpenAisResetWait_whenNoRetryAfterIsGiven() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("x-ratelimit-reset-requests", "1.5s")
                        .withHeader("x-ratelimit-reset-tokens", "6m0s")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}")));

        ProviderFailure failure = assertInstanceOf(
                        ProviderReply.Failed.class, client.send(vllm(upstream.baseUrl()), request(hello(false))))
                .failure();

        assertEquals(
                Optional.of(Duration.ofMinutes(6)),
                assertInstanceOf(ProviderFailure.RateLimited.class, failure).retryAfter());
    }

    private static String hello(boolean stream) {
        return "{\"model\":\"g\",\"max_tokens\":10,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static void streamReplies(String body) {
        upstream.resetAll();
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(body)));
    }

    private static List<StreamStep> drain(ProviderStream stream) {
        List<StreamStep> steps = new ArrayList<>();
        try (EventStream events =
                assertInstanceOf(ProviderStream.Opened.class, stream).events()) {
            StreamStep step;
            do {
                step = events.next();
                steps.add(step);
            } while (step instanceof StreamStep.Event);
        }
        return steps;
    }

    private static MessageResponse fold(List<StreamStep> steps) {
        JacksonMessageEventCodec codec = new JacksonMessageEventCodec(MAPPER);
        MessageFold fold = new MessageFold(codec::parseObject);
        for (StreamStep step : steps) {
            if (step instanceof StreamStep.Event event) {
                MessageEvent read = codec.typed(event.event());
                assertTrue(!(read instanceof MessageEvent.Other), "every event is a Messages event: " + event);
                fold.add(read);
            }
        }
        return fold.result();
    }
}
