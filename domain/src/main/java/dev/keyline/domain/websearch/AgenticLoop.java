package dev.keyline.domain.websearch;

import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.ToolDefinition;
import dev.keyline.domain.message.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The web-search loop as an immutable state machine. {@link #start} rewrites the request; each model answer
 * either finishes the loop or asks for searches; the searches' outcomes produce the next model call. The loop
 * builds every follow-up from the previous request, so all hops share one deployment, which the driver binds.
 *
 * <p>What the client finally sees is what Anthropic's server loop returns: the text of every hop, each search as
 * a {@code server_tool_use} + {@code web_search_tool_result} pair where the model asked for it (for the native
 * tool), then the answer, with usage summed over all hops.
 */
public final class AgenticLoop {

    /** Longer queries are refused as {@code query_too_long}. */
    public static final int MAX_QUERY_LENGTH = 1_000;

    private final SearchTool tool;
    private final LoopLimits limits;
    private final State state;

    /**
     * Where a loop is between hops; each step makes the next state from this one, naming what changed.
     *
     * @param request       the model call the loop is at
     * @param shown         what the client will see from the hops so far
     * @param usage         usage summed over the model calls so far
     * @param modelCalls    model calls made
     * @param searchesAsked searches the model asked for (each gets an id from this count)
     * @param searchesRun   searches that found results
     * @param searching     the answer whose searches are running
     * @param first         the first hop's answer (its id and model head the client's message)
     * @param citations     the results earlier hops' text may cite
     */
    private record State(
            MessagesRequest request,
            List<ContentBlock> shown,
            Optional<Usage> usage,
            int modelCalls,
            int searchesAsked,
            int searchesRun,
            Optional<MessageResponse> searching,
            Optional<MessageResponse> first,
            Citations citations) {

        State {
            shown = List.copyOf(shown);
        }

        static State initial(MessagesRequest request) {
            return new State(
                    request,
                    List.of(),
                    Optional.empty(),
                    0,
                    0,
                    0,
                    Optional.empty(),
                    Optional.empty(),
                    Citations.none());
        }

        /** The model answered with searches: they run next. */
        State searching(MessageResponse answer, MessageResponse opening, Usage summed, int calls, int asked) {
            return new State(
                    request,
                    shown,
                    Optional.of(summed),
                    calls,
                    asked,
                    searchesRun,
                    Optional.of(answer),
                    Optional.of(opening),
                    citations);
        }

        /** The searches ran: the follow-up call carries their results. */
        State followingUp(MessagesRequest followUp, List<ContentBlock> content, int run, Citations more) {
            return new State(followUp, content, usage, modelCalls, searchesAsked, run, Optional.empty(), first, more);
        }
    }

    private AgenticLoop(SearchTool tool, LoopLimits limits, State state) {
        this.tool = tool;
        this.limits = limits;
        this.state = state;
    }

    /**
     * @param clientRequest the client's request, carrying {@code tool}
     * @param tool          the search tool found in it
     * @param limits        how far the loop may go
     * @return the first model call: the search tool replaced by one the model can call, earlier search turns
     *         converted, everything else as the client sent it
     */
    public static LoopStep.CallModel start(MessagesRequest clientRequest, SearchTool tool, LoopLimits limits) {
        Objects.requireNonNull(clientRequest, "'clientRequest' must not be null");
        List<ToolDefinition> tools = clientRequest.tools().stream()
                .map(t -> tool.is(t) ? tool.asClientTool() : t)
                .toList();
        MessagesRequest first = new MessagesRequest(
                clientRequest.model(),
                clientRequest.maxTokens(),
                SearchHistory.withClientTools(clientRequest.messages(), tool.name()),
                tools,
                clientRequest.toolChoice(),
                clientRequest.stream(),
                clientRequest.extra());
        AgenticLoop loop = new AgenticLoop(tool, limits, State.initial(first));
        return new LoopStep.CallModel(loop, first);
    }

    /** @return the search tool the loop serves */
    public SearchTool tool() {
        return tool;
    }

    /** @return model calls made so far */
    public int modelCalls() {
        return state.modelCalls();
    }

    /**
     * @param answer the bound deployment's answer to the last model call
     * @return searches to run, or the finished answer
     */
    public LoopStep onAnswer(MessageResponse answer) {
        Usage summed = state.usage().map(u -> u.plus(answer.usage())).orElse(answer.usage());
        int calls = state.modelCalls() + 1;
        MessageResponse opening = state.first().orElse(answer);
        List<ContentBlock.ToolUse> searches = searchUses(answer);
        if (searches.isEmpty()) {
            List<ContentBlock> content = new ArrayList<>(state.shown());
            content.addAll(cited(answer.content()));
            return new LoopStep.Finish(
                    response(opening, answer, content, answer.stopReason(), summed, state.searchesRun()));
        }
        if (calls - 1 >= limits.maxFollowUps()) {
            return new LoopStep.Finish(capped(opening, answer, summed));
        }
        List<LoopStep.PendingSearch> pending = new ArrayList<>();
        int asked = state.searchesAsked();
        for (ContentBlock.ToolUse use : searches) {
            pending.add(pending(use, asked));
            asked++;
        }
        AgenticLoop next = new AgenticLoop(tool, limits, state.searching(answer, opening, summed, calls, asked));
        return new LoopStep.Search(next, pending);
    }

    /**
     * @param outcomes the outcome of each search of the last {@link LoopStep.Search}, in its order
     * @return the follow-up model call, or the finished answer when the model also called a client tool
     */
    public LoopStep.AfterSearches onSearched(List<SearchOutcome> outcomes) {
        MessageResponse answer =
                state.searching().orElseThrow(() -> new IllegalStateException("no searches are running"));
        List<ContentBlock.ToolUse> searches = searchUses(answer);
        if (outcomes.size() != searches.size()) {
            throw new IllegalArgumentException("expected " + searches.size() + " outcomes, got " + outcomes.size());
        }
        Map<String, SearchOutcome> byId = new HashMap<>();
        for (int i = 0; i < searches.size(); i++) {
            byId.put(searches.get(i).id(), outcomes.get(i));
        }
        int run = state.searchesRun()
                + (int) outcomes.stream()
                        .filter(o -> o instanceof SearchOutcome.Found)
                        .count();
        List<ContentBlock> content = new ArrayList<>(state.shown());
        content.addAll(forClient(cited(answer.content()), byId));
        boolean clientToolCalled = answer.content().stream()
                .anyMatch(b ->
                        b instanceof ContentBlock.ToolUse use && !use.name().equals(tool.name()));
        Usage summed = state.usage().orElseThrow();
        if (clientToolCalled) {
            return new LoopStep.Finish(
                    response(state.first().orElse(answer), answer, content, Optional.of("tool_use"), summed, run));
        }
        List<Message> messages = new ArrayList<>(state.request().messages());
        messages.add(Message.of(Role.ASSISTANT, answer.content()));
        messages.add(Message.of(
                Role.USER,
                searches.stream()
                        .<ContentBlock>map(use -> toolResult(use, byId.get(use.id())))
                        .toList()));
        MessagesRequest followUp = new MessagesRequest(
                state.request().model(),
                state.request().maxTokens(),
                messages,
                state.request().tools(),
                state.request().toolChoice().map(AgenticLoop::relaxed),
                state.request().stream(),
                state.request().extra());
        AgenticLoop next = new AgenticLoop(
                tool,
                limits,
                state.followingUp(followUp, content, run, state.citations().plus(shownResults(searches, byId))));
        return new LoopStep.CallModel(next, followUp);
    }

    /**
     * @param text answer text of the hop the loop is at
     * @return its citations of the results of earlier hops' searches (a hop cannot quote its own searches)
     */
    public List<RawJson> citationsFor(String text) {
        return state.citations().of(text);
    }

    /** A hop's text blocks with the citations of what they draw on; text that cites nothing stays as it came. */
    private List<ContentBlock> cited(List<ContentBlock> blocks) {
        List<ContentBlock> result = new ArrayList<>(blocks.size());
        for (ContentBlock block : blocks) {
            if (block instanceof ContentBlock.Text text
                    && text.extra().get("citations").isEmpty()) {
                List<RawJson> found = state.citations().of(text.text());
                result.add(
                        found.isEmpty()
                                ? text
                                : new ContentBlock.Text(
                                        text.text(),
                                        text.extra()
                                                .with(
                                                        "citations",
                                                        found.stream()
                                                                .map(RawJson::fields)
                                                                .toList())));
            } else {
                result.add(block);
            }
        }
        return result;
    }

    /** @return the results the client was shown for these searches, in order; none for a tool shown as a client tool */
    private List<SearchHit> shownResults(List<ContentBlock.ToolUse> searches, Map<String, SearchOutcome> outcomes) {
        if (!tool.nativeTool()) {
            return List.of();
        }
        List<SearchHit> hits = new ArrayList<>();
        for (ContentBlock.ToolUse use : searches) {
            if (outcomes.get(use.id()) instanceof SearchOutcome.Found found) {
                hits.addAll(found.hits());
            }
        }
        return hits;
    }

    private List<ContentBlock.ToolUse> searchUses(MessageResponse answer) {
        return answer.content().stream()
                .filter(b -> b instanceof ContentBlock.ToolUse use && use.name().equals(tool.name()))
                .map(ContentBlock.ToolUse.class::cast)
                .toList();
    }

    private LoopStep.PendingSearch pending(ContentBlock.ToolUse use, int alreadyAsked) {
        Optional<String> query = use.input()
                .get("query")
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .map(String::strip)
                .filter(q -> !q.isEmpty());
        if (query.isEmpty()) {
            return notRun(use, SearchError.INVALID_TOOL_INPUT, "the search needs a non-empty 'query' string");
        }
        if (query.get().length() > MAX_QUERY_LENGTH) {
            return notRun(
                    use, SearchError.QUERY_TOO_LONG, "queries are limited to " + MAX_QUERY_LENGTH + " characters");
        }
        if (limits.maxSearches().isPresent()
                && alreadyAsked >= limits.maxSearches().getAsInt()) {
            return notRun(
                    use,
                    SearchError.MAX_USES_EXCEEDED,
                    "this request may search at most " + limits.maxSearches().getAsInt() + " times");
        }
        SearchRequest search = new SearchRequest(
                query.get(), tool.allowedDomains(), tool.blockedDomains(), tool.country(), limits.maxResults());
        return new LoopStep.PendingSearch(use.id(), Optional.of(search), new SearchOutcome.Found(List.of()));
    }

    private static LoopStep.PendingSearch notRun(ContentBlock.ToolUse use, SearchError error, String detail) {
        return new LoopStep.PendingSearch(use.id(), Optional.empty(), new SearchOutcome.Failed(error, detail));
    }

    /** The blocks of one hop as the client sees them: each search call becomes its native pair, or disappears. */
    private List<ContentBlock> forClient(List<ContentBlock> blocks, Map<String, SearchOutcome> outcomes) {
        List<ContentBlock> visible = new ArrayList<>();
        for (ContentBlock block : blocks) {
            if (block instanceof ContentBlock.ToolUse use && use.name().equals(tool.name())) {
                SearchOutcome outcome = outcomes.get(use.id());
                if (tool.nativeTool() && outcome != null) {
                    String id = serverToolId(use.id());
                    visible.add(new ContentBlock.ServerToolUse(id, "web_search", use.input(), RawJson.empty()));
                    visible.add(new ContentBlock.WebSearchToolResult(
                            id, SearchResultText.forClient(outcome), RawJson.empty()));
                }
            } else {
                visible.add(block);
            }
        }
        return visible;
    }

    private MessageResponse capped(MessageResponse opening, MessageResponse answer, Usage summed) {
        List<ContentBlock> content = new ArrayList<>(state.shown());
        content.addAll(forClient(cited(answer.content()), Map.of()));
        boolean clientTool = content.stream().anyMatch(b -> b instanceof ContentBlock.ToolUse);
        boolean text = content.stream()
                .anyMatch(b -> b instanceof ContentBlock.Text t && !t.text().isBlank());
        String stop = clientTool ? "tool_use" : text ? "end_turn" : "pause_turn";
        return response(opening, answer, content, Optional.of(stop), summed, state.searchesRun());
    }

    /** One message for the whole loop: the first hop's id and model, the last hop's ending. */
    private static MessageResponse response(
            MessageResponse opening,
            MessageResponse answer,
            List<ContentBlock> content,
            Optional<String> stopReason,
            Usage usage,
            int searchesRun) {
        Usage withSearches = new Usage(
                usage.inputTokens(),
                usage.outputTokens(),
                usage.cacheCreationInputTokens(),
                usage.cacheReadInputTokens(),
                usage.webSearchRequests() + searchesRun,
                usage.webFetchRequests(),
                usage.extra());
        return new MessageResponse(
                opening.id(),
                opening.model(),
                content,
                stopReason,
                stopReason.equals(answer.stopReason()) ? answer.stopSequence() : Optional.empty(),
                withSearches,
                answer.extra());
    }

    private static ContentBlock toolResult(ContentBlock.ToolUse use, SearchOutcome outcome) {
        RawJson extra =
                outcome instanceof SearchOutcome.Failed ? RawJson.empty().with("is_error", true) : RawJson.empty();
        return new ContentBlock.ToolResult(
                use.id(), new ContentBlock.ToolResultContent.Text(SearchResultText.forModel(outcome)), extra);
    }

    /** A forced tool choice would make every follow-up search again; after the first hop the model chooses. */
    private static RawJson relaxed(RawJson toolChoice) {
        Object type = toolChoice.get("type").orElse("auto");
        return type.equals("tool") || type.equals("any")
                ? toolChoice.without("name").with("type", "auto")
                : toolChoice;
    }

    /** Anthropic's server tool ids start with {@code srvtoolu_}; the model's id keeps the pair traceable. */
    public static String serverToolId(String toolUseId) {
        return "srvtoolu_" + (toolUseId.startsWith("toolu_") ? toolUseId.substring("toolu_".length()) : toolUseId);
    }
}
