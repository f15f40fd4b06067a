package dev.keyline.app.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.WebSearchTool20250305;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude on Vertex AI through Keyline: tokens minted only from each deployment's own service account (checked by a
 * fake token endpoint with the account's public key), web search JSON and streamed, counts, and an account the
 * token endpoint does not know.
 */
class VertexWebSearchTest {

    private FakeVertex vertex;
    private FakeSearxng searxng;
    private KeylineServer keyline;
    private AnthropicClient sdk;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        vertex = new FakeVertex();
        searxng = new FakeSearxng();
        Path keyFile =
                Files.writeString(dir.resolve("account.json"), vertex.tokens().accountKey());
        String config = """
                model_list:
                  - model_name: claude-vertex
                    litellm_params:
                      model: vertex_ai/claude-sonnet-4-5@20250929
                      vertex_project: keyline-test
                      vertex_location: us-east5
                      vertex_credentials: %2$s
                      api_base: %1$s
                    model_info: {id: vertex-a}
                  - model_name: claude-vertex-stranger
                    litellm_params:
                      model: vertex_ai/claude-sonnet-4-5@20250929
                      vertex_project: keyline-test
                      vertex_location: global
                      vertex_credentials: os.environ/STRANGER_KEY
                      api_base: %1$s
                    model_info: {id: vertex-stranger}
                search_tools:
                  - search_tool_name: searx
                    litellm_params: {search_provider: searxng, api_base: "%3$s"}
                litellm_settings:
                  callbacks: [websearch_interception]
                  websearch_interception_params: {enabled_providers: [vertex_ai]}
                """.formatted(vertex.base(), keyFile, searxng.base());
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("STRANGER_KEY", vertex.tokens().strangerKey())).parse(config, "vertex.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());
        sdk = AnthropicOkHttpClient.builder()
                .baseUrl(keyline.baseUrl())
                .apiKey("client-key-never-forwarded")
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void stop() {
        if (sdk != null) {
            sdk.close();
        }
        if (keyline != null) {
            keyline.close();
        }
        vertex.close();
        searxng.close();
    }

    @Test
    void aWebSearchTurn_isAnswered_everyHopWithATokenMintedFromTheDeploymentsAccount() {
        Message message = sdk.messages().create(params());

        SearchedAnswers.assertSearchedAndCited(message);
        assertHops();
    }

    @Test
    void theStreamedTurn_foldsIntoTheSameAnswer() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        SearchedAnswers.assertSearchedAndCited(accumulator.message());
        assertHops();
        assertTrue(
                vertex.calls.stream().allMatch(c -> c.path().endsWith(":streamRawPredict")), vertex.calls.toString());
    }

    @Test
    void anAccountTheTokenEndpointDoesNotKnow_getsNoToken_andTheModelIsNeverCalled() throws Exception {
        HttpResponse<String> answer = post("/v1/messages", """
                {"model":"claude-vertex-stranger","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");

        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("vertex-stranger"), "names the deployment: " + answer.body());
        assertFalse(answer.body().contains("PRIVATE KEY"));
        assertEquals(
                1, vertex.tokens().refused().size(), vertex.tokens().refused().toString());
        assertTrue(vertex.refused.isEmpty());
        assertTrue(vertex.calls.isEmpty());
    }

    @Test
    void countTokens_asksVertexsCountEndpoint_withTheModelInTheBody() throws Exception {
        HttpResponse<String> count = post("/v1/messages/count_tokens", """
                {"model":"claude-vertex","messages":[{"role":"user","content":"How many?"}]}""");

        assertEquals(200, count.statusCode(), count.body());
        assertEquals("{\"input_tokens\":37}", count.body().replace(" ", ""));
        FakeVertex.Call call = vertex.calls.getFirst();
        assertEquals(
                "/v1/projects/keyline-test/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict",
                call.path());
        assertEquals("claude-sonnet-4-5@20250929", call.body().path("model").asText());
    }

    private void assertHops() {
        assertTrue(vertex.refused.isEmpty(), "refused: " + vertex.refused);
        assertEquals(2, vertex.calls.size(), vertex.calls.toString());
        assertEquals(1, vertex.tokens().tokensMinted(), "one token, kept for the second hop");
        for (FakeVertex.Call call : vertex.calls) {
            assertTrue(
                    call.path()
                            .startsWith("/v1/projects/keyline-test/locations/us-east5/publishers/anthropic/models/"
                                    + "claude-sonnet-4-5@20250929:"),
                    call.path());
            assertFalse(call.body().toString().contains("web_search_20250305"));
        }
        assertEquals(1, searxng.searches.get());
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder()
                .model("claude-vertex")
                .maxTokens(512)
                .addTool(WebSearchTool20250305.builder().maxUses(3L).build())
                .addUserMessage("When was Java 25 released?")
                .build();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(URI.create(keyline.baseUrl() + path))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
