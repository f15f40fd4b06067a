package dev.keyline.domain.websearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.ToolDefinition;
import dev.keyline.domain.message.Usage;
import dev.keyline.domain.message.WebSearchOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AgenticLoopTest {

    private static final ToolDefinition NATIVE = new ToolDefinition.WebSearch(
            "web_search_20250305",
            "web_search",
            OptionalInt.empty(),
            List.of(),
            List.of(),
            Optional.of(new RawJson(Map.of("type", "approximate", "country", "FR"))),
            RawJson.empty());
    private static final ToolDefinition WEATHER = new ToolDefinition.Client(
            "get_weather", Optional.empty(), new RawJson(Map.of("type", "object")), RawJson.empty());
    private static final LoopLimits LIMITS = new LoopLimits(3, OptionalInt.empty(), 5);
    private static final SearchOutcome FOUND = new SearchOutcome.Found(List.of(new SearchHit(
            "JDK 25", "https://openjdk.org/projects/jdk/25/", "JDK 25 is GA.", Optional.of("2025-09-16"))));

    @Test
    void start_givesTheModelASearchToolItCanCall_andKeepsTheOthers() {
        LoopStep.CallModel first = assertInstanceOf(
                LoopStep.CallModel.class,
                AgenticLoop.start(request(List.of(WEATHER, NATIVE), forcedSearch()), tool(), LIMITS));

        assertEquals(WEATHER, first.request().tools().get(0));
        ToolDefinition.Client search = assertInstanceOf(
                ToolDefinition.Client.class, first.request().tools().get(1));
        assertEquals("web_search", search.name());
        assertEquals(List.of("query"), search.inputSchema().get("required").orElseThrow());
        assertEquals(
                Optional.of(forcedSearch()), first.request().toolChoice(), "the first hop keeps the client's choice");
    }

    @Test
    void anAnswerWithoutSearch_finishesAsItCame() {
        LoopStep.CallModel first = start();
        MessageResponse answer = answer(List.of(ContentBlock.Text.of("Hello")), "end_turn", 10, 2);

        MessageResponse done = assertInstanceOf(
                        LoopStep.Finish.class, first.loop().onAnswer(answer))
                .response();

        assertEquals(answer.content(), done.content());
        assertEquals(0, done.usage().webSearchRequests());
    }

    @Test
    void aSearchHop_producesAFollowUp_thenANativeAnswerWithSummedUsage() {
        LoopStep.CallModel first = start();
        MessageResponse searching = answer(
                List.of(
                        new ContentBlock.Thinking("I should search.", "sig", RawJson.empty()),
                        ContentBlock.Text.of("Let me look that up."),
                        search("toolu_1", "java 25 release")),
                "tool_use",
                100,
                20);

        LoopStep.Search search =
                assertInstanceOf(LoopStep.Search.class, first.loop().onAnswer(searching));
        assertEquals(
                "java 25 release",
                search.searches().getFirst().request().orElseThrow().query());
        assertEquals(
                Optional.of("FR"),
                search.searches().getFirst().request().orElseThrow().country());
        LoopStep.CallModel followUp =
                assertInstanceOf(LoopStep.CallModel.class, search.loop().onSearched(List.of(FOUND)));

        List<Message> messages = followUp.request().messages();
        assertEquals(3, messages.size());
        assertEquals(searching.content(), messages.get(1).content(), "the assistant turn as the model produced it");
        ContentBlock.ToolResult result = assertInstanceOf(
                ContentBlock.ToolResult.class, messages.get(2).content().getFirst());
        assertEquals("toolu_1", result.toolUseId());
        assertTrue(((ContentBlock.ToolResultContent.Text) result.content())
                .text()
                .contains("URL: https://openjdk.org/projects/jdk/25/"));
        assertEquals(
                "auto",
                followUp.request().toolChoice().orElseThrow().get("type").orElseThrow(),
                "a forced choice is relaxed on follow-ups");

        MessageResponse done = assertInstanceOf(
                        LoopStep.Finish.class,
                        followUp.loop()
                                .onAnswer(answer(
                                        List.of(ContentBlock.Text.of("JDK 25 shipped in September 2025.")),
                                        "end_turn",
                                        300,
                                        40)))
                .response();

        assertEquals(
                List.of("thinking", "text", "server_tool_use", "web_search_tool_result", "text"),
                done.content().stream().map(ContentBlock::type).toList());
        ContentBlock.ServerToolUse use =
                (ContentBlock.ServerToolUse) done.content().get(2);
        ContentBlock.WebSearchToolResult found =
                (ContentBlock.WebSearchToolResult) done.content().get(3);
        assertEquals("srvtoolu_1", use.id());
        assertEquals(use.id(), found.toolUseId());
        assertEquals(
                "https://openjdk.org/projects/jdk/25/",
                ((WebSearchOutcome.Results) found.content())
                        .results()
                        .getFirst()
                        .url());
        assertEquals(400, done.usage().inputTokens());
        assertEquals(60, done.usage().outputTokens());
        assertEquals(1, done.usage().webSearchRequests());
        assertEquals(Optional.of("end_turn"), done.stopReason());
    }

    @Test
    void searchesBeyondMaxUses_areNotRun_andReportMaxUsesExceeded() {
        LoopStep.CallModel first = assertInstanceOf(
                LoopStep.CallModel.class,
                AgenticLoop.start(request(List.of(NATIVE), null), tool(), new LoopLimits(3, OptionalInt.of(1), 5)));

        LoopStep.Search search = assertInstanceOf(
                LoopStep.Search.class,
                first.loop()
                        .onAnswer(answer(List.of(search("toolu_1", "a"), search("toolu_2", "b")), "tool_use", 1, 1)));

        assertTrue(search.searches().get(0).request().isPresent());
        LoopStep.PendingSearch refused = search.searches().get(1);
        assertTrue(refused.request().isEmpty());
        assertEquals(SearchError.MAX_USES_EXCEEDED, ((SearchOutcome.Failed) refused.ifNotRun()).error());
    }

    @Test
    void anEmptyQuery_isInvalidToolInput() {
        LoopStep.Search search = assertInstanceOf(
                LoopStep.Search.class,
                start().loop()
                        .onAnswer(answer(
                                List.of(new ContentBlock.ToolUse(
                                        "toolu_1", "web_search", RawJson.empty(), RawJson.empty())),
                                "tool_use",
                                1,
                                1)));

        assertEquals(
                SearchError.INVALID_TOOL_INPUT,
                ((SearchOutcome.Failed) search.searches().getFirst().ifNotRun()).error());
    }

    @Test
    void atTheLoopLimit_theTurnEndsCleanly_withoutTheInternalToolCall() {
        LoopStep.CallModel first = assertInstanceOf(
                LoopStep.CallModel.class,
                AgenticLoop.start(request(List.of(NATIVE), null), tool(), new LoopLimits(1, OptionalInt.empty(), 5)));
        LoopStep.Search search = assertInstanceOf(
                LoopStep.Search.class,
                first.loop().onAnswer(answer(List.of(search("toolu_1", "a")), "tool_use", 1, 1)));
        LoopStep.CallModel followUp =
                assertInstanceOf(LoopStep.CallModel.class, search.loop().onSearched(List.of(FOUND)));

        MessageResponse done = assertInstanceOf(
                        LoopStep.Finish.class,
                        followUp.loop()
                                .onAnswer(answer(
                                        List.of(ContentBlock.Text.of("Partly:"), search("toolu_2", "b")),
                                        "tool_use",
                                        1,
                                        1)))
                .response();

        assertFalse(done.content().stream().anyMatch(b -> b instanceof ContentBlock.ToolUse));
        assertEquals(Optional.of("end_turn"), done.stopReason());
        assertEquals(2, followUp.loop().modelCalls() + 1);
    }

    @Test
    void aClientToolCalledBesideASearch_goesBackToTheClient_afterTheSearch() {
        LoopStep.Search search = assertInstanceOf(
                LoopStep.Search.class,
                start().loop()
                        .onAnswer(answer(
                                List.of(
                                        search("toolu_1", "weather service"),
                                        new ContentBlock.ToolUse(
                                                "toolu_2",
                                                "get_weather",
                                                new RawJson(Map.of("city", "Paris")),
                                                RawJson.empty())),
                                "tool_use",
                                1,
                                1)));

        MessageResponse done = assertInstanceOf(
                        LoopStep.Finish.class, search.loop().onSearched(List.of(FOUND)))
                .response();

        assertEquals(
                List.of("server_tool_use", "web_search_tool_result", "tool_use"),
                done.content().stream().map(ContentBlock::type).toList());
        assertEquals(Optional.of("tool_use"), done.stopReason());
    }

    @Test
    void anAnswerQuotingAResult_citesIt_butTextWrittenBeforeTheSearchCitesNothing() {
        String quote = "JDK 25 reached general availability on 16 September 2025";
        SearchOutcome found = new SearchOutcome.Found(List.of(
                new SearchHit("JDK 25", "https://openjdk.org/projects/jdk/25/", quote + ".", Optional.empty())));
        LoopStep.Search search = assertInstanceOf(
                LoopStep.Search.class,
                start().loop()
                        .onAnswer(answer(
                                List.of(
                                        ContentBlock.Text.of("I will check whether " + quote),
                                        search("toolu_1", "jdk")),
                                "tool_use",
                                1,
                                1)));
        LoopStep.CallModel followUp =
                assertInstanceOf(LoopStep.CallModel.class, search.loop().onSearched(List.of(found)));

        MessageResponse done = assertInstanceOf(
                        LoopStep.Finish.class,
                        followUp.loop()
                                .onAnswer(
                                        answer(List.of(ContentBlock.Text.of("Yes: " + quote + "!")), "end_turn", 1, 1)))
                .response();

        ContentBlock.Text before = (ContentBlock.Text) done.content().getFirst();
        ContentBlock.Text after = (ContentBlock.Text) done.content().getLast();
        assertTrue(before.extra().get("citations").isEmpty(), "a hop cannot cite the searches it asks for");
        List<?> citations = (List<?>) after.extra().get("citations").orElseThrow();
        assertEquals(1, citations.size());
        Map<?, ?> citation = (Map<?, ?>) citations.getFirst();
        assertEquals("https://openjdk.org/projects/jdk/25/", citation.get("url"));
        assertEquals(quote + ".", citation.get("cited_text"));
        assertEquals(
                followUp.loop().citationsFor("Yes: " + quote + "!").getFirst().fields(), citation);
    }

    @Test
    void litellmsClientTool_isInterceptedWithoutNativeBlocks() {
        ToolDefinition litellm = new ToolDefinition.Client(
                "litellm_web_search", Optional.empty(), new RawJson(Map.of("type", "object")), RawJson.empty());
        SearchTool tool = SearchTool.find(List.of(litellm)).orElseThrow();
        LoopStep.CallModel first = assertInstanceOf(
                LoopStep.CallModel.class, AgenticLoop.start(request(List.of(litellm), null), tool, LIMITS));
        LoopStep.Search search = assertInstanceOf(
                LoopStep.Search.class,
                first.loop()
                        .onAnswer(answer(
                                List.of(search("toolu_1", "x").withName("litellm_web_search")), "tool_use", 1, 1)));
        LoopStep.CallModel followUp =
                assertInstanceOf(LoopStep.CallModel.class, search.loop().onSearched(List.of(FOUND)));

        MessageResponse done = assertInstanceOf(
                        LoopStep.Finish.class,
                        followUp.loop().onAnswer(answer(List.of(ContentBlock.Text.of("ok")), "end_turn", 1, 1)))
                .response();

        assertFalse(tool.nativeTool());
        assertEquals(
                List.of("text"), done.content().stream().map(ContentBlock::type).toList());
        assertEquals(
                List.of(),
                followUp.loop().citationsFor("JDK 25 is GA. JDK 25 is GA. JDK 25 is GA."),
                "results the client was never shown are never cited");
    }

    @Test
    void aSchemaLessWebSearchTool_isASearchRequest_butOneWithASchemaIsTheClientsOwn() {
        ToolDefinition legacy =
                new ToolDefinition.Client("WebSearch", Optional.empty(), RawJson.empty(), RawJson.empty());
        ToolDefinition real = new ToolDefinition.Client(
                "WebSearch", Optional.empty(), new RawJson(Map.of("type", "object")), RawJson.empty());

        assertEquals(Optional.of("WebSearch"), SearchTool.find(List.of(legacy)).map(SearchTool::name));
        assertEquals(Optional.empty(), SearchTool.find(List.of(real)));
    }

    private static LoopStep.CallModel start() {
        return assertInstanceOf(
                LoopStep.CallModel.class,
                AgenticLoop.start(request(List.of(WEATHER, NATIVE), forcedSearch()), tool(), LIMITS));
    }

    private static SearchTool tool() {
        return SearchTool.find(List.of(WEATHER, NATIVE)).orElseThrow();
    }

    private static RawJson forcedSearch() {
        return new RawJson(Map.of("type", "tool", "name", "web_search"));
    }

    private static MessagesRequest request(List<ToolDefinition> tools, RawJson toolChoice) {
        return new MessagesRequest(
                "kimi",
                512,
                List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("What is new in Java?")))),
                tools,
                Optional.ofNullable(toolChoice),
                false,
                RawJson.empty());
    }

    private static SearchUse search(String id, String query) {
        return new SearchUse(id, "web_search", query);
    }

    /** Builds a search tool_use block the way a model writes one. */
    private record SearchUse(String id, String name, String query) implements Block {
        SearchUse withName(String other) {
            return new SearchUse(id, other, query);
        }

        @Override
        public ContentBlock block() {
            return new ContentBlock.ToolUse(id, name, new RawJson(Map.of("query", query)), RawJson.empty());
        }
    }

    private interface Block {
        ContentBlock block();
    }

    private static MessageResponse answer(List<Object> blocks, String stopReason, long in, long out) {
        List<ContentBlock> content = blocks.stream()
                .map(b -> b instanceof Block built ? built.block() : (ContentBlock) b)
                .toList();
        return new MessageResponse(
                "msg_" + in,
                "kimi-k2.5",
                content,
                Optional.of(stopReason),
                Optional.empty(),
                new Usage(in, out, 0, 0, 0, 0, RawJson.empty()),
                RawJson.empty());
    }
}
