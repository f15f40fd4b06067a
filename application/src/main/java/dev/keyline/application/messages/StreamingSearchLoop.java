package dev.keyline.application.messages;

import dev.keyline.application.routing.Attempt;
import dev.keyline.application.routing.FollowUp;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.websearch.AgenticLoop;
import dev.keyline.domain.websearch.LoopStep;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchResultText;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.Upstream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Drives a web-search loop streamed to the client as it happens; the streamed twin of {@link JsonSearchLoop}. Every
 * hop is streamed through the upstream of the first hop and relayed by a {@link HopRelay}, except the model's
 * search calls, which become {@code server_tool_use} / {@code web_search_tool_result} blocks as the searches
 * complete. The client sees one {@code message_start} (the first hop's) and one ending (the last hop's stop
 * reason, usage summed over every hop); the events fold into the same message as the JSON answer.
 */
final class StreamingSearchLoop implements EventStream {

    private final Router router;
    private final MessageEventCodec codec;
    private final Searches searches;
    private final Upstream bound;
    private final ProtocolHeaders headers;
    private final RequestJournal journal;
    private final BlockIndexes indexes = new BlockIndexes();
    private final Deque<StreamStep> ready = new ArrayDeque<>();
    private AgenticLoop loop;
    private EventStream hop;
    private Runnable hopRelease;
    private HopRelay relay;
    private boolean started;
    private boolean finished;

    StreamingSearchLoop(
            Router router,
            MessageEventCodec codec,
            Searches searches,
            Upstream bound,
            ProtocolHeaders headers,
            RequestJournal journal,
            AgenticLoop loop,
            EventStream firstHop,
            Runnable firstRelease) {
        this.router = router;
        this.codec = codec;
        this.searches = searches;
        this.bound = bound;
        this.headers = headers;
        this.journal = journal;
        this.loop = loop;
        this.hop = firstHop;
        this.hopRelease = firstRelease;
        this.relay = newRelay();
    }

    @Override
    public StreamStep next() {
        while (ready.isEmpty() && !finished && hop != null) {
            advance();
        }
        return ready.isEmpty() ? new StreamStep.End() : ready.poll();
    }

    /** Only events already made count: the hop's next event may be held back, and a search may follow. */
    @Override
    public boolean ready() {
        return !ready.isEmpty() || finished || hop == null;
    }

    @Override
    public void close() {
        finished = true;
        closeHop();
    }

    private HopRelay newRelay() {
        return new HopRelay(loop.tool().name(), indexes, codec::parseObject, loop::citationsFor);
    }

    private void advance() {
        switch (hop.next()) {
            case StreamStep.Event event -> relay(codec.typed(event.event()));
            case StreamStep.End end -> hopEnded();
            case StreamStep.Broken broken -> fail(broken.failure());
        }
    }

    private void relay(MessageEvent event) {
        relay.relay(event).forEach(this::emit);
        switch (event) {
            case MessageEvent.MessageStart start -> {
                if (!started) {
                    started = true;
                    emit(start);
                }
            }
            case MessageEvent.Other other -> {
                ready.add(new StreamStep.Event(other.event()));
                if (other.event().isError()) {
                    finish();
                }
            }
            case MessageEvent.BlockStart start -> {}
            case MessageEvent.BlockDelta delta -> {}
            case MessageEvent.BlockStop stop -> {}
            case MessageEvent.MessageDelta delta -> {}
            case MessageEvent.MessageStop stop -> {}
        }
    }

    private void hopEnded() {
        closeHop();
        MessageResponse answer;
        try {
            answer = relay.answer();
        } catch (IllegalStateException e) {
            fail(new ProviderFailure.MalformedReply(200, "a follow-up stream had no message_start"));
            return;
        }
        switch (loop.onAnswer(answer)) {
            case LoopStep.Finish finish -> {
                releaseHeld(Map.of());
                end(finish.response());
            }
            case LoopStep.Search search -> {
                List<SearchOutcome> outcomes = releaseHeld(startSearches(search));
                switch (search.loop().onSearched(outcomes)) {
                    case LoopStep.Finish finish -> end(finish.response());
                    case LoopStep.CallModel call -> callModel(call);
                }
            }
            case LoopStep.CallModel call -> callModel(call);
        }
    }

    private Map<String, Future<SearchOutcome>> startSearches(LoopStep.Search search) {
        List<Future<SearchOutcome>> running = searches.start(search.searches(), journal);
        Map<String, Future<SearchOutcome>> byId = new HashMap<>();
        for (int i = 0; i < running.size(); i++) {
            byId.put(search.searches().get(i).toolUseId(), running.get(i));
        }
        return byId;
    }

    /**
     * Emits, in the hop's order, what came after its first search call: each search's pair (waiting for its
     * outcome) and the held-back blocks. @return the outcomes, in the order of the search calls
     */
    private List<SearchOutcome> releaseHeld(Map<String, Future<SearchOutcome>> running) {
        List<SearchOutcome> outcomes = new ArrayList<>();
        for (HopRelay.Held held : relay.held()) {
            switch (held) {
                case HopRelay.Held.Block block ->
                    block.events().apply(indexes.take()).forEach(this::emit);
                case HopRelay.Held.SearchCall call -> {
                    Future<SearchOutcome> future = running.get(call.use().id());
                    if (future != null) {
                        SearchOutcome outcome = Searches.await(future);
                        outcomes.add(outcome);
                        if (loop.tool().nativeTool()) {
                            emitSearchPair(call.use(), outcome);
                        }
                    }
                }
            }
        }
        return outcomes;
    }

    private void emitSearchPair(ContentBlock.ToolUse use, SearchOutcome outcome) {
        String id = AgenticLoop.serverToolId(use.id());
        int callIndex = indexes.take();
        emit(new MessageEvent.BlockStart(
                callIndex, new ContentBlock.ServerToolUse(id, "web_search", RawJson.empty(), RawJson.empty())));
        emit(new MessageEvent.BlockDelta(callIndex, new MessageEvent.Delta.InputJson(codec.toJson(use.input()))));
        emit(new MessageEvent.BlockStop(callIndex));
        int resultIndex = indexes.take();
        emit(new MessageEvent.BlockStart(
                resultIndex,
                new ContentBlock.WebSearchToolResult(id, SearchResultText.forClient(outcome), RawJson.empty())));
        emit(new MessageEvent.BlockStop(resultIndex));
    }

    private void callModel(LoopStep.CallModel call) {
        ProviderRequest request = new ProviderRequest(call.request(), headers);
        FollowUp<ProviderStream.Opened> opened =
                router.followUp(bound, journal, upstream -> Attempt.of(upstream.stream(request)));
        switch (opened) {
            case FollowUp.Served<ProviderStream.Opened> served -> {
                loop = call.loop();
                hop = served.value().events();
                hopRelease = served.release();
                relay = newRelay();
            }
            case FollowUp.Failed<ProviderStream.Opened> failed -> fail(failed.failure());
        }
    }

    private void end(MessageResponse response) {
        emit(new MessageEvent.MessageDelta(response.stopReason(), response.stopSequence(), response.usage()));
        emit(new MessageEvent.MessageStop());
        finish();
    }

    private void fail(ProviderFailure failure) {
        ready.add(new StreamStep.Broken(failure));
        finish();
    }

    private void finish() {
        finished = true;
        closeHop();
    }

    private void closeHop() {
        if (hop != null) {
            hop.close();
            hop = null;
        }
        if (hopRelease != null) {
            hopRelease.run();
            hopRelease = null;
        }
    }

    private void emit(MessageEvent event) {
        ready.add(new StreamStep.Event(event));
    }
}
