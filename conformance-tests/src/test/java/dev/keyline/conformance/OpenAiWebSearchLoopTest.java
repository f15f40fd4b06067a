package dev.keyline.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model served over OpenAI's chat completions (a {@code hosted_vllm/} deployment) asked to search, through the
 * launched gateway: the upstream speaks chat completions only and refuses anything Anthropic-shaped, decoy
 * {@code ANTHROPIC_*} and {@code OPENAI_*} variables are set, and every hop must reach the deployment's base with
 * its key. Clients: plain HTTP (JSON) and the Anthropic Java SDK (streamed).
 */
class OpenAiWebSearchLoopTest {

    private static final String KEY = "sk-vllm-loop-4242";
    private static final String GATEWAY_KEY = "sk-gateway-openai-loop";
    private static final String PATH = "/v1/chat/completions";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension upstream = LaunchedGateway.loopbackUpstream();

    @RegisterExtension
    static WireMockExtension searxng = LaunchedGateway.loopbackUpstream();

    @TempDir
    static Path dir;

    private static LaunchedGateway keyline;
    private static AnthropicClient sdk;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void launch() throws Exception {
        // A chat completions server: Anthropic's shapes (its path, tool_use blocks, input_schema, a top-level
        // system) are refused, as vLLM would refuse them.
        upstream.stubFor(post(urlPathEqualTo("/v1/messages"))
                .atPriority(1)
                .willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not Found\"}")));
        upstream.stubFor(post(PATH)
                .withRequestBody(matching(".*(\"type\":\"tool_use\"|\"input_schema\"|\"tool_result\"|"
                        + "\"system\":|web_search_2025|\"stop_sequences\").*"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"object\":\"error\",\"message\":\"not an OpenAI request\",\"type\":"
                                + "\"BadRequestError\",\"code\":400}")));
        String hop1 = """
                {"id":"chatcmpl-hop1","object":"chat.completion","model":"qwen3","choices":[{"index":0,
                 "message":{"role":"assistant","content":"Searching.","tool_calls":[{"id":"call_01","type":"function",
                 "function":{"name":"web_search","arguments":"{\\"query\\":\\"keyline gateway\\"}"}}]},
                 "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":100,"completion_tokens":20}}""";
        String hop2 = """
                {"id":"chatcmpl-hop2","object":"chat.completion","model":"qwen3","choices":[{"index":0,
                 "message":{"role":"assistant","content":"Keyline is an LLM gateway."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":300,"completion_tokens":30}}""";
        String hop1Stream = chunks(
                "{\"role\":\"assistant\",\"content\":\"Searching.\"}",
                "{\"tool_calls\":[{\"index\":0,\"id\":\"call_01\",\"type\":\"function\",\"function\":{\"name\":"
                        + "\"web_search\",\"arguments\":\"{\\\"query\\\":\"}}]}",
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"keyline gateway\\\"}\"}}]}",
                "tool_calls",
                100,
                20);
        String hop2Stream = chunks(
                "{\"role\":\"assistant\",\"content\":\"Keyline is \"}",
                "{\"content\":\"an LLM \"}",
                "{\"content\":\"gateway.\"}",
                "stop",
                300,
                30);
        boolean[] streams = {false, true};
        for (boolean stream : streams) {
            String asked = stream ? "\"stream\":true" : "\"stream\":false";
            upstream.stubFor(post(PATH)
                    .withRequestBody(containing(asked))
                    .withRequestBody(not(containing("\"role\":\"tool\"")))
                    .atPriority(2)
                    .willReturn(stream ? events(hop1Stream) : json(hop1)));
            upstream.stubFor(post(PATH)
                    .withRequestBody(containing(asked))
                    .withRequestBody(containing("\"role\":\"tool\""))
                    .atPriority(2)
                    .willReturn(stream ? events(hop2Stream) : json(hop2)));
        }
        searxng.stubFor(get(urlPathEqualTo("/search"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("""
                        {"query":"q","results":[{"url":"https://keyline.example/docs","title":"Keyline docs",
                         "content":"Keyline keeps every hop on its deployment."}]}""")));
        keyline = LaunchedGateway.start(
                dir, """
                model_list:
                  - model_name: qwen-local
                    litellm_params:
                      model: hosted_vllm/qwen3
                      api_base: %s/v1
                      api_key: os.environ/VLLM_KEY
                litellm_settings:
                  callbacks: ["websearch_interception"]
                  websearch_interception_params:
                    enabled_providers: ["hosted_vllm"]
                search_tools:
                  - search_tool_name: searxng
                    litellm_params:
                      search_provider: searxng
                      api_base: %s
                general_settings:
                  master_key: %s
                """.formatted(upstream.baseUrl(), searxng.baseUrl(), GATEWAY_KEY), Map.of("VLLM_KEY", KEY));
        sdk = AnthropicOkHttpClient.builder()
                .baseUrl(keyline.baseUrl())
                .apiKey(GATEWAY_KEY)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        sdk.close();
        keyline.close();
    }

    @BeforeEach
    void clearJournals() {
        upstream.resetRequests();
        searxng.resetRequests();
    }

    @Test
    void aJsonSearchLoop_answersWithNativeSearchBlocks_andEveryHopKeepsTheDeployment() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages"))
                        .header("x-api-key", GATEWAY_KEY)
                        .header("anthropic-version", "2023-06-01")
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"model":"qwen-local","max_tokens":512,"system":"Answer from the web.",
                                 "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3}],
                                 "messages":[{"role":"user","content":"What is Keyline?"}]}"""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        JsonNode message = MAPPER.readTree(response.body());
        List<String> types = new ArrayList<>();
        message.get("content").forEach(block -> types.add(block.get("type").asText()));
        assertEquals(List.of("text", "server_tool_use", "web_search_tool_result", "text"), types);
        assertEquals("qwen-local", message.get("model").asText());
        assertTrue(message.get("id").asText().startsWith("msg_"));
        assertEquals(
                "https://keyline.example/docs",
                message.at("/content/2/content/0/url").asText());
        assertEquals(400, message.at("/usage/input_tokens").asInt());
        assertEquals(50, message.at("/usage/output_tokens").asInt());
        assertEquals(1, message.at("/usage/server_tool_use/web_search_requests").asInt());
        everyHopKeptTheDeployment(2);
    }

    @Test
    void theAnthropicSdksStreamedSearchLoop_foldsToTheSameBlocks_overChatCompletions() throws Exception {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("qwen-local")
                .maxTokens(512)
                .addTool(WebSearchTool20250305.builder().maxUses(3).build())
                .addUserMessage("What is Keyline?")
                .build();

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        List<ContentBlock> blocks = message.content();
        assertEquals(4, blocks.size(), blocks.toString());
        assertEquals("Searching.", blocks.get(0).asText().text());
        assertTrue(blocks.get(1).isServerToolUse());
        assertEquals(
                "https://keyline.example/docs",
                blocks.get(2)
                        .asWebSearchToolResult()
                        .content()
                        .asResultBlocks()
                        .getFirst()
                        .url());
        assertEquals("Keyline is an LLM gateway.", blocks.get(3).asText().text());
        assertEquals(50, message.usage().outputTokens());
        everyHopKeptTheDeployment(2);
    }

    @Test
    void countTokens_forAChatCompletionsDeployment_isTheGatewaysEstimate_andSaysSo() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages/count_tokens"))
                        .header("x-api-key", GATEWAY_KEY)
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"qwen-local\",\"messages\":[{\"role\":"
                                + "\"user\",\"content\":\"" + "word ".repeat(400) + "\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "estimated",
                response.headers().firstValue("x-keyline-token-count").orElseThrow());
        long tokens = MAPPER.readTree(response.body()).get("input_tokens").asLong();
        assertTrue(tokens > 450 && tokens < 550, "2,000 characters are about 500 tokens, got " + tokens);
        assertEquals(List.of(), upstream.getAllServeEvents(), "chat completions has no count to ask");
    }

    /** The TypeScript SDK 1.x (Bearer, anthropic-version 2026-10-21), installed by scripts/install-js-sdk.sh. */
    @Test
    void theAnthropicJsSdk_parsesTheSameSearchLoop_jsonAndStreamed() throws Exception {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed for the JS SDK");
        Path peer = installedJsSdks();
        try (InputStream script = getClass().getResourceAsStream("/js-sdk/search-loop.mjs")) {
            Files.write(peer.resolve("search-loop.mjs"), script.readAllBytes());
        }

        Process node = new ProcessBuilder("node", "search-loop.mjs", keyline.baseUrl(), GATEWAY_KEY, "qwen-local")
                .directory(peer.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), output);

        assertEquals(0, node.exitValue(), output);
        JsonNode parsed =
                MAPPER.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertEquals(
                "[\"text\",\"server_tool_use\",\"web_search_tool_result\",\"text\"]",
                parsed.get("streamed").toString());
        assertEquals(parsed.get("json"), parsed.get("streamed"));
        assertTrue(parsed.get("sameBlocks").asBoolean(), output);
        assertEquals("https://keyline.example/docs", parsed.get("url").asText());
        assertEquals("Searching.Keyline is an LLM gateway.", parsed.get("text").asText());
        assertEquals(1, parsed.get("searches").asInt());
        assertEquals(50, parsed.get("outputTokens").asInt());
        everyHopKeptTheDeployment(4);
    }

    /** The OpenAI TypeScript SDK on the chat front door: chat → Messages → the chat deployment, and back. */
    @Test
    void theOpenAiJsSdk_withWebSearchOptions_getsTheLoopsAnswer_jsonAndStreamed() throws Exception {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed for the JS SDKs");
        Path peer = installedJsSdks();
        try (InputStream script = getClass().getResourceAsStream("/js-sdk/openai-chat.mjs")) {
            Files.write(peer.resolve("openai-chat.mjs"), script.readAllBytes());
        }

        Process node = new ProcessBuilder("node", "openai-chat.mjs", keyline.baseUrl(), GATEWAY_KEY, "qwen-local")
                .directory(peer.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), output);

        assertEquals(0, node.exitValue(), output);
        JsonNode parsed =
                MAPPER.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        // The text before the search and the answer after it are two paragraphs, as a Messages client shows them.
        assertEquals(
                "Searching.\n\nKeyline is an LLM gateway.", parsed.get("json").asText());
        assertEquals("stop", parsed.get("jsonFinish").asText());
        assertEquals(parsed.get("json").asText(), parsed.get("streamed").asText());
        assertEquals("stop", parsed.get("finish").asText());
        assertEquals(50, parsed.get("completionTokens").asInt());
        everyHopKeptTheDeployment(4);
    }

    /** @return where scripts/install-js-sdk.sh installed the JS SDKs (on the first run it installs them) */
    private static Path installedJsSdks() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process install = new ProcessBuilder(
                        root.resolve("scripts/install-js-sdk.sh").toString())
                .redirectErrorStream(true)
                .start();
        String installed = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(install.waitFor(3, TimeUnit.MINUTES) && install.exitValue() == 0, installed);
        return root.resolve(".peers/js-sdk");
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private void everyHopKeptTheDeployment(int hops) throws Exception {
        List<ServeEvent> calls = upstream.getAllServeEvents();
        assertEquals(hops, calls.size());
        for (ServeEvent call : calls) {
            assertEquals(PATH, call.getRequest().getUrl());
            assertEquals(200, call.getResponse().getStatus(), call.getRequest().getBodyAsString());
            assertEquals("Bearer " + KEY, call.getRequest().getHeader("authorization"));
            assertFalse(call.getRequest().containsHeader("x-api-key"));
            assertFalse(call.getRequest().containsHeader("anthropic-version"));
            assertEquals(
                    "qwen3",
                    MAPPER.readTree(call.getRequest().getBodyAsString())
                            .get("model")
                            .asText());
        }
        assertEquals(hops / 2, searxng.getAllServeEvents().size(), "one search per loop");
        assertEquals(List.of(), keyline.decoyRequests());
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("content-type", "application/json").withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder events(String body) {
        return aResponse().withHeader("content-type", "text/event-stream").withBody(body);
    }

    /** Three deltas, the finish chunk, the usage chunk and [DONE], as vLLM streams them. */
    private static String chunks(String first, String second, String third, String finish, int in, int out) {
        StringBuilder sse = new StringBuilder();
        for (String delta : List.of(first, second, third)) {
            sse.append("data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                            + "\"delta\":")
                    .append(delta)
                    .append(",\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: {\"id\":\"chatcmpl-s\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"")
                .append(finish)
                .append("\"}]}\n\n");
        sse.append("data: {\"id\":\"chatcmpl-s\",\"choices\":[],\"usage\":{\"prompt_tokens\":")
                .append(in)
                .append(",\"completion_tokens\":")
                .append(out)
                .append("}}\n\n");
        sse.append("data: [DONE]\n\n");
        return sse.toString();
    }
}
