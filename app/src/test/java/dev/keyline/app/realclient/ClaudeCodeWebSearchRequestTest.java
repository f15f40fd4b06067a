package dev.keyline.app.realclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.testing.StreamFolder;
import dev.keyline.app.DemoAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sub-request Claude Code's WebSearch tool sends (captured from Claude Code 2.1.330): {@code ?beta=true},
 * x-api-key, a long beta list, adaptive thinking, context management, system blocks with cache control, the native
 * tool with {@code max_uses: 8}, streamed. Claude Code needs server_tool_use + web_search_tool_result + text back.
 */
class ClaudeCodeWebSearchRequestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SUB_REQUEST = """
            {"model":"keyline-demo","max_tokens":128000,"stream":true,
             "thinking":{"type":"adaptive","display":"omitted"},
             "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
             "output_config":{"effort":"medium"},
             "metadata":{"user_id":"{\\"device_id\\":\\"d1\\",\\"session_id\\":\\"s1\\"}"},
             "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.330.355; cc_entrypoint=sdk-cli;"},
                       {"type":"text","text":"You are a Claude agent, built on Anthropic's Claude Agent SDK.","cache_control":{"type":"ephemeral"}},
                       {"type":"text","text":"You run a web search for another Claude model. Search once, then reply with a brief summary.","cache_control":{"type":"ephemeral"}}],
             "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":8}],
             "tool_choice":{"type":"auto"},
             "messages":[{"role":"user","content":"Perform a web search for the query: java 25 release"}]}
            """;

    private static DemoAccess.Started demo;

    @BeforeAll
    static void start() {
        demo = DemoAccess.start();
    }

    @AfterAll
    static void stop() throws Exception {
        demo.running().close();
    }

    @Test
    void claudeCodesSearchSubRequest_getsNativeSearchBlocksAndText_streamed() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/v1/messages?beta=true"))
                                .header("x-api-key", demo.key())
                                .header("anthropic-version", "2023-06-01")
                                .header(
                                        "anthropic-beta",
                                        "claude-code-20250219,interleaved-thinking-2025-05-14,"
                                                + "context-management-2025-06-27,per-turn-control-2026-07-01,mid-conversation-tool-changes-2026-07-01,"
                                                + "thinking-token-count-2026-05-13,effort-2025-11-24")
                                .header("anthropic-dangerous-direct-browser-access", "true")
                                .header("x-app", "cli")
                                .timeout(Duration.ofSeconds(20))
                                .POST(HttpRequest.BodyPublishers.ofString(SUB_REQUEST))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        JsonNode message = StreamFolder.fold(response.body());
        List<String> types = new ArrayList<>();
        message.get("content").forEach(block -> types.add(block.get("type").asText()));
        assertEquals(List.of("text", "server_tool_use", "web_search_tool_result", "text"), types);
        assertEquals(
                "java 25 release",
                message.at("/content/1/input/query").asText().replace("Perform a web search for the query: ", ""));
        assertTrue(message.at("/content/2/content/0/url").asText().startsWith("https://"));
        assertEquals(1, message.at("/usage/server_tool_use/web_search_requests").asInt());
        assertEquals("end_turn", message.get("stop_reason").asText());
    }
}
