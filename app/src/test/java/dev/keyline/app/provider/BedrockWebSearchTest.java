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
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claude on Bedrock through Keyline, as a user of the Anthropic SDK meets it: web search on a cloud that has none,
 * JSON and streamed, every hop signed with the deployment's own AWS keys and checked by a fake that verifies SigV4
 * itself; an assumed role; a count; and a deployment whose keys the cloud does not know.
 */
class BedrockWebSearchTest {

    private static final String KEY_ID = "AKIAKEYLINEDEPLOYA1";
    private static final String SECRET = "secret-of-deployment-a";
    private static final String ROLE_KEY_ID = "AKIAKEYLINEDEPLOYB2";
    private static final String ROLE_SECRET = "secret-of-deployment-b";
    private static final String UNKNOWN_SECRET = "secret-the-cloud-never-issued";
    private static final String MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    private FakeBedrock bedrock;
    private FakeSearxng searxng;
    private KeylineServer keyline;
    private AnthropicClient sdk;

    @BeforeEach
    void start() throws Exception {
        bedrock = new FakeBedrock(Map.of(KEY_ID, SECRET, ROLE_KEY_ID, ROLE_SECRET));
        bedrock.acceptApiKey("bedrock-api-key-d");
        searxng = new FakeSearxng();
        String config = """
                model_list:
                  - model_name: claude-bedrock
                    litellm_params:
                      model: bedrock/%2$s
                      aws_region_name: us-east-1
                      aws_access_key_id: %3$s
                      aws_secret_access_key: os.environ/BEDROCK_SECRET
                      aws_bedrock_runtime_endpoint: %1$s
                    model_info: {id: bedrock-a}
                  - model_name: claude-bedrock-role
                    litellm_params:
                      model: bedrock/anthropic.claude-3-5-haiku-20241022-v1:0
                      aws_region_name: eu-west-1
                      aws_access_key_id: %4$s
                      aws_secret_access_key: os.environ/ROLE_SECRET
                      aws_role_name: arn:aws:iam::123456789012:role/keyline-bedrock
                      aws_session_name: keyline-test
                      aws_sts_endpoint: %1$s/sts
                      aws_bedrock_runtime_endpoint: %1$s
                    model_info: {id: bedrock-role}
                  - model_name: claude-bedrock-api-key
                    litellm_params:
                      model: bedrock/anthropic.claude-3-5-haiku-20241022-v1:0
                      aws_region_name: us-west-2
                      api_key: bedrock-api-key-d
                      aws_bedrock_runtime_endpoint: %1$s
                    model_info: {id: bedrock-d}
                  - model_name: claude-bedrock-unknown
                    litellm_params:
                      model: bedrock/anthropic.claude-3-5-haiku-20241022-v1:0
                      aws_region_name: us-east-1
                      aws_access_key_id: AKIAKEYLINEUNKNOWN9
                      aws_secret_access_key: %5$s
                      aws_bedrock_runtime_endpoint: %1$s
                    model_info: {id: bedrock-unknown}
                search_tools:
                  - search_tool_name: searx
                    litellm_params: {search_provider: searxng, api_base: "%6$s"}
                litellm_settings:
                  callbacks: [websearch_interception]
                  websearch_interception_params: {enabled_providers: [bedrock]}
                """.formatted(bedrock.base(), MODEL_ID, KEY_ID, ROLE_KEY_ID, UNKNOWN_SECRET, searxng.base());
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("BEDROCK_SECRET", SECRET, "ROLE_SECRET", ROLE_SECRET))
                        .parse(config, "bedrock.yaml"),
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
        bedrock.close();
        searxng.close();
    }

    @Test
    void aWebSearchTurn_isAnsweredWithCitations_everyHopSignedWithTheDeploymentsOwnKeys() {
        Message message = sdk.messages().create(params("claude-bedrock"));

        SearchedAnswers.assertSearchedAndCited(message);
        assertEquals(1L, message.usage().serverToolUse().orElseThrow().webSearchRequests());
        assertEveryHopSignedByDeploymentA(2);
    }

    @Test
    void theStreamedTurn_foldsIntoTheSameAnswer_fromTheBinaryEventStream() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params("claude-bedrock"))) {
            stream.stream().forEach(accumulator::accumulate);
        }

        SearchedAnswers.assertSearchedAndCited(accumulator.message());
        assertEveryHopSignedByDeploymentA(2);
    }

    @Test
    void aRoleDeployment_assumesItsRoleWithItsOwnKeys_andSignsWithTheTemporaryKeysAndToken() throws Exception {
        HttpResponse<String> first = post("/v1/messages", plain("claude-bedrock-role"));
        HttpResponse<String> second = post("/v1/messages", plain("claude-bedrock-role"));

        assertEquals(200, first.statusCode(), first.body());
        assertEquals(200, second.statusCode(), second.body());
        List<FakeBedrock.Call> sts =
                bedrock.calls.stream().filter(c -> c.path().equals("sts")).toList();
        assertEquals(1, sts.size(), "the temporary keys are kept, not asked for per call");
        assertEquals(ROLE_KEY_ID, sts.getFirst().signedBy());
        assertEquals("eu-west-1", sts.getFirst().region());
        assertTrue(sts.getFirst().body().get("form").asText().contains("RoleSessionName=keyline-test"));
        List<FakeBedrock.Call> model =
                bedrock.calls.stream().filter(c -> !c.path().equals("sts")).toList();
        assertEquals(2, model.size());
        for (FakeBedrock.Call call : model) {
            assertEquals(FakeBedrock.TEMPORARY_KEY_ID, call.signedBy());
            assertEquals(FakeBedrock.SESSION_TOKEN, call.sessionToken().orElseThrow());
            assertEquals("eu-west-1", call.region());
            assertEquals("bedrock", call.service());
        }
    }

    @Test
    void aBedrockApiKey_isSentAsBearer_unsigned() throws Exception {
        HttpResponse<String> answer = post("/v1/messages", plain("claude-bedrock-api-key"));

        assertEquals(200, answer.statusCode(), answer.body());
        FakeBedrock.Call call = bedrock.calls.getFirst();
        assertEquals("bedrock-api-key-d", call.bearer().orElseThrow());
    }

    @Test
    void keysTheCloudDoesNotKnow_areRefusedInTheAnthropicShape_withoutTheSecret() throws Exception {
        HttpResponse<String> answer = post("/v1/messages", plain("claude-bedrock-unknown"));

        assertEquals(403, answer.statusCode(), answer.body());
        assertTrue(answer.body().startsWith("{\"type\":\"error\""), answer.body());
        assertTrue(answer.body().contains("UnrecognizedClientException"), answer.body());
        assertFalse(answer.body().contains(UNKNOWN_SECRET));
        assertEquals(1, bedrock.refused.size());
    }

    @Test
    void countTokens_asksBedrocksCountTokens_signed() throws Exception {
        HttpResponse<String> count = post("/v1/messages/count_tokens", """
                {"model":"claude-bedrock","messages":[{"role":"user","content":"How many?"}]}""");

        assertEquals(200, count.statusCode(), count.body());
        assertEquals("{\"input_tokens\":42}", count.body().replace(" ", ""));
        FakeBedrock.Call call = bedrock.calls.getFirst();
        assertTrue(call.path().endsWith("/count-tokens"), call.path());
        assertEquals(KEY_ID, call.signedBy());
        assertTrue(
                call.body().path("input").path("invokeModel").has("body"),
                call.body().toString());
    }

    private void assertEveryHopSignedByDeploymentA(int hops) {
        assertTrue(bedrock.refused.isEmpty(), "refused: " + bedrock.refused);
        assertEquals(hops, bedrock.calls.size(), bedrock.calls.toString());
        for (FakeBedrock.Call call : bedrock.calls) {
            assertEquals(KEY_ID, call.signedBy());
            assertEquals("us-east-1", call.region());
            assertEquals("bedrock", call.service());
            // The model id is one path segment: its ':' travels encoded.
            assertTrue(call.path().startsWith("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/"), call.path());
            assertFalse(call.body().has("model"));
            assertEquals(
                    "bedrock-2023-05-31", call.body().path("anthropic_version").asText());
            assertFalse(call.body().toString().contains("web_search_20250305"), "Bedrock has no server web search");
        }
        assertEquals(1, searxng.searches.get());
    }

    private static MessageCreateParams params(String model) {
        return MessageCreateParams.builder()
                .model(model)
                .maxTokens(512)
                .addTool(WebSearchTool20250305.builder().maxUses(3L).build())
                .addUserMessage("When was Java 25 released?")
                .build();
    }

    private static String plain(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(URI.create(keyline.baseUrl() + path))
                            .header("content-type", "application/json")
                            .header("anthropic-version", "2023-06-01")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
