package dev.keyline.app.realclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CitationsWebSearchResultLocation;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.WebSearchTool20250305;
import dev.keyline.app.DemoAccess;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic Java SDK asking for web search through Keyline, in front of the simulated model (which refuses
 * server tools): the SDK must parse Keyline's answer into its typed web-search blocks, streamed or not.
 */
class AnthropicJavaSdkWebSearchTest {

    private static AutoCloseable demo;
    private static AnthropicClient sdk;

    @BeforeAll
    static void start() {
        DemoAccess.Started started = DemoAccess.start();
        demo = started.running();
        sdk = AnthropicOkHttpClient.builder()
                .baseUrl(started.baseUrl())
                .apiKey(started.key())
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        sdk.close();
        demo.close();
    }

    @Test
    void aSearchingAnswer_parsesIntoTypedServerToolBlocks() {
        Message message = sdk.messages().create(params());

        assertShape(message);
        assertEquals(1L, message.usage().serverToolUse().orElseThrow().webSearchRequests());
    }

    @Test
    void theStreamedAnswer_foldsIntoTheSameShape() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertShape(accumulator.message());
    }

    private static void assertShape(Message message) {
        List<ContentBlock> content = message.content();
        assertEquals(4, content.size(), content.toString());
        assertTrue(content.get(0).isText());
        assertEquals("web_search", content.get(1).asServerToolUse().name().toString());
        assertEquals(
                content.get(1).asServerToolUse().id(),
                content.get(2).asWebSearchToolResult().toolUseId());
        assertEquals(
                "https://openjdk.example/projects/jdk/25",
                content.get(2)
                        .asWebSearchToolResult()
                        .content()
                        .asResultBlocks()
                        .getFirst()
                        .url());
        assertTrue(
                content.get(3).asText().text().contains("16 September 2025"),
                content.get(3).asText().text());
        // The answer quotes the result, so it cites it, in the SDK's own typed citation.
        CitationsWebSearchResultLocation citation =
                content.get(3).asText().citations().orElseThrow().getFirst().asWebSearchResultLocation();
        assertEquals("https://openjdk.example/projects/jdk/25", citation.url());
        assertTrue(citation.citedText().length() <= 150, citation.citedText());
        assertTrue(content.get(3).asText().text().contains(citation.citedText().replace("...", "")));
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder()
                .model("keyline-demo")
                .maxTokens(512)
                .addTool(WebSearchTool20250305.builder().maxUses(3L).build())
                .addUserMessage("When was Java 25 released?")
                .build();
    }
}
