package dev.keyline.app.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import java.util.List;

/** What the cloud tests check of a web-search answer, the same on every cloud. */
final class SearchedAnswers {

    private SearchedAnswers() {}

    /**
     * The answer to a search turn, as a client sees it: the search as {@code server_tool_use}, its results in a
     * {@code web_search_tool_result}, and the final text quoting them, with its citation.
     */
    static void assertSearchedAndCited(Message message) {
        List<ContentBlock> content = message.content();
        ContentBlock use = content.stream()
                .filter(ContentBlock::isServerToolUse)
                .findFirst()
                .orElseThrow();
        assertEquals("web_search", use.asServerToolUse().name().toString());
        ContentBlock result = content.stream()
                .filter(ContentBlock::isWebSearchToolResult)
                .findFirst()
                .orElseThrow();
        assertEquals(
                FakeSearxng.URL,
                result.asWebSearchToolResult()
                        .content()
                        .asResultBlocks()
                        .getFirst()
                        .url());
        ContentBlock answer = content.getLast();
        assertTrue(answer.asText().text().contains(ScriptedClaude.QUOTE), answer.toString());
        assertEquals(
                FakeSearxng.URL,
                answer.asText()
                        .citations()
                        .orElseThrow()
                        .getFirst()
                        .asWebSearchResultLocation()
                        .url());
    }
}
