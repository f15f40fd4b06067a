package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake model judges what a correct gateway must do, not how Keyline happens to do it: a gateway may drop
 * Anthropic's {@code metadata}, rename tool-call ids, write JSON with spaces, and pass chat text that mentions
 * Anthropic's words, and the fakes still follow the case's script.
 */
class FairFakesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeDeployment anthropic =
            new FakeDeployment("a-1", "g", "sk-a-1", "tenant-a", false, false, null, false);
    private final FakeDeployment chat = new FakeDeployment("c-1", "g", "sk-c-1", "tenant-c", true, false, null, true);

    @AfterEach
    void stop() {
        anthropic.close();
        chat.close();
    }

    @Test
    void aGatewayThatDropsMetadata_stillGetsTheScriptFromTheClientsText() throws Exception {
        String marker = "kit:1:2:case-1:0:0:0";
        JsonNode answer = post(anthropic, "/a-1/anthropic/v1/messages", "x-api-key", "sk-a-1", """
                {"model": "m", "max_tokens": 9,
                 "tools": [{"name": "web_search", "input_schema": {"type": "object"}}],
                 "messages": [{"role": "user", "content": [{"type": "text", "text": "%s"}]}]}
                """.formatted(
                        KitScript.tagged("Find things", marker)));

        assertEquals("tool_use", answer.path("stop_reason").asText(), answer.toString());
        assertEquals(2, answer.path("content").findValues("name").size(), "two searches per round, as scripted");
    }

    @Test
    void renamedToolCallIds_andSpacedJson_countHopsByTurns_onAChatServer() throws Exception {
        String marker = "kit:1:1:case-2:0:0:0";
        // One round made: the loop's second hop must be the answer, whatever the ids are called.
        JsonNode answer = post(chat, "/c-1/v1/chat/completions", "authorization", "Bearer sk-c-1", """
                {"model": "m", "max_tokens": 9,
                 "tools": [{"type": "function", "function": {"name": "web_search", "parameters": {}}}],
                 "messages": [
                   {"role": "user", "content": "%s"},
                   {"role": "assistant", "content": null,
                    "tool_calls": [{"id": "call_9f", "type": "function",
                                    "function": {"name": "web_search", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "call_9f", "content": "results"}]}
                """.formatted(
                        KitScript.tagged("Find things; my schema has an input_schema key", marker)));

        assertEquals(
                "stop", answer.path("choices").path(0).path("finish_reason").asText(), answer.toString());
        assertEquals(
                "hop 1",
                answer.path("choices").path(0).path("message").path("content").asText());
    }

    @Test
    void anAnthropicBlockInAChatRequest_isStillRefused_withSpacesOrNot() throws Exception {
        HttpResponse<String> refused = send(chat, "/c-1/v1/chat/completions", "authorization", "Bearer sk-c-1", """
                {"model": "m", "messages": [{"role": "user", "content": [{"type": "tool_result", "content": "x"}]}]}
                """);

        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("tool_result"), refused.body());
    }

    private JsonNode post(FakeDeployment to, String path, String header, String key, String body) throws Exception {
        HttpResponse<String> response = send(to, path, header, key, body);
        assertEquals(200, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    private HttpResponse<String> send(FakeDeployment to, String path, String header, String key, String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(to.origin() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("content-type", "application/json")
                        .header(header, key)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
