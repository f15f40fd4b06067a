package dev.keyline.domain.websearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.WebSearchOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchHistoryTest {

    @Test
    void serverSearchBlocks_becomeAToolCallAndItsResult_withRolesAlternating() {
        String snippet = "JDK 25 is generally available.";
        List<Message> history = List.of(
                Message.of(Role.USER, List.of(ContentBlock.Text.of("What is new in Java?"))),
                Message.of(
                        Role.ASSISTANT,
                        List.of(
                                ContentBlock.Text.of("Searching."),
                                new ContentBlock.ServerToolUse(
                                        "srvtoolu_1",
                                        "web_search",
                                        new RawJson(Map.of("query", "java 25")),
                                        RawJson.empty()),
                                new ContentBlock.WebSearchToolResult(
                                        "srvtoolu_1",
                                        new WebSearchOutcome.Results(List.of(new WebSearchOutcome.WebSearchResult(
                                                "https://openjdk.org",
                                                "JDK 25",
                                                Optional.of(SearchResultText.encode(snippet)),
                                                Optional.empty(),
                                                RawJson.empty()))),
                                        RawJson.empty()),
                                new ContentBlock.Text(
                                        "JDK 25 is out.",
                                        RawJson.empty()
                                                .with(
                                                        "citations",
                                                        List.of(Map.of(
                                                                "type", "web_search_result_location",
                                                                "url", "https://openjdk.org",
                                                                "encrypted_index", "a2V5bGluZQ")))))),
                Message.of(Role.USER, List.of(ContentBlock.Text.of("And 26?"))));

        List<Message> converted = SearchHistory.withClientTools(history, "web_search");

        assertEquals(
                List.of(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER),
                converted.stream().map(Message::role).toList());
        ContentBlock.ToolUse use = assertInstanceOf(
                ContentBlock.ToolUse.class, converted.get(1).content().get(1));
        assertEquals("srvtoolu_1", use.id());
        ContentBlock.ToolResult result = assertInstanceOf(
                ContentBlock.ToolResult.class, converted.get(2).content().getFirst());
        assertEquals("srvtoolu_1", result.toolUseId());
        assertTrue(
                ((ContentBlock.ToolResultContent.Text) result.content()).text().contains(snippet));
        assertEquals(
                ContentBlock.Text.of("JDK 25 is out."),
                converted.get(3).content().getFirst(),
                "citations of removed result blocks are not sent upstream");
    }

    @Test
    void aTurnEndingInASearchResult_mergesItsResultWithTheNextUserTurn() {
        List<Message> history = List.of(
                Message.of(Role.USER, List.of(ContentBlock.Text.of("q"))),
                Message.of(
                        Role.ASSISTANT,
                        List.of(
                                new ContentBlock.ServerToolUse(
                                        "srvtoolu_1", "web_search", RawJson.empty(), RawJson.empty()),
                                new ContentBlock.WebSearchToolResult(
                                        "srvtoolu_1", WebSearchOutcome.Error.of("unavailable"), RawJson.empty()))),
                Message.of(Role.USER, List.of(ContentBlock.Text.of("try again"))));

        List<Message> converted = SearchHistory.withClientTools(history, "web_search");

        assertEquals(3, converted.size());
        assertEquals(
                List.of("tool_result", "text"),
                converted.get(2).content().stream().map(ContentBlock::type).toList());
    }

    @Test
    void historyWithoutSearches_isLeftAlone() {
        List<Message> history = List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("hi"))));

        assertEquals(history, SearchHistory.withClientTools(history, "web_search"));
    }

    @Test
    void domainFilters_admitSubdomainsAndPathPrefixes() {
        SearchRequest allowOnly = new SearchRequest("q", List.of("example.com/blog"), List.of(), Optional.empty(), 5);
        SearchRequest block = new SearchRequest("q", List.of(), List.of("spam.io"), Optional.empty(), 5);
        List<SearchHit> hits = List.of(
                hit("https://www.example.com/blog/post"),
                hit("https://example.com/shop"),
                hit("https://news.spam.io/x"),
                hit("https://notexample.com/blog"));

        assertEquals(List.of(hits.get(0)), DomainFilter.apply(hits, allowOnly));
        assertEquals(List.of(hits.get(0), hits.get(1), hits.get(3)), DomainFilter.apply(hits, block));
    }

    private static SearchHit hit(String url) {
        return new SearchHit("t", url, "s", Optional.empty());
    }
}
