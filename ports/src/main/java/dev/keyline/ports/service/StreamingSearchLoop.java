package dev.keyline.ports.service;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.MessageFold;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.websearch.AgenticLoop;
import dev.keyline.domain.websearch.LoopStep;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchResultText;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * A web-search loop streamed to the client as it happens. Every hop is streamed from the bound deployment; its
 * blocks are relayed as they arrive, renumbered into one message, except the model's search calls, which are
 * replaced by {@code server_tool_use} / {@code web_search_tool_result} blocks as the searches complete. The client
 * sees one {@code message_start} (the first hop's) and one ending (the last hop's stop reason, usage summed over
 * every hop); the events fold into the same message as the non-streamed answer.
 */
final class StreamingSearchLoop implements EventStream {

    private final Router router;
    private final ProviderClient provider;
    private final MessageEventCodec codec;
    private final Searches searches;
    private final Deployment bound;
    private final ProtocolHeaders headers;
    private final Deque<StreamStep> ready = new ArrayDeque<>();
    private AgenticLoop loop;
    private EventStream hop;
    private Runnable hopRelease;
    private Hop state;
    private int nextIndex;
    private boolean started;
    private boolean finished;

    /** What one hop's blocks became: where each relayed block went, which are search calls, what is held back. */
    private final class Hop {
        final MessageFold fold = new MessageFold(codec::parseObject);
        final Map<Integer, Integer> relayedAs = new HashMap<>();
        final Set<Integer> searchCalls = new HashSet<>();
        final Set<Integer> heldBlocks = new HashSet<>();
        final Map<Integer, List<MessageEvent>> held = new HashMap<>();
    }

    StreamingSearchLoop(Router router, ProviderClient provider, MessageEventCodec codec, Searches searches,
                        Deployment bound, ProtocolHeaders headers, AgenticLoop loop, EventStream firstHop,
                        Runnable firstRelease) {
        this.router = router;
        this.provider = provider;
        this.codec = codec;
        this.searches = searches;
        this.bound = bound;
        this.headers = headers;
        this.loop = loop;
        this.hop = firstHop;
        this.hopRelease = firstRelease;
        this.state = new Hop();
    }

    @Override
    public StreamStep next() {
        while (ready.isEmpty() && !finished && hop != null) {
            advance();
        }
        return ready.isEmpty() ? new StreamStep.End() : ready.poll();
    }

    @Override
    public void close() {
        finished = true;
        closeHop();
    }

    private void advance() {
        switch (hop.next()) {
            case StreamStep.Event event -> relay(codec.read(event.event()));
            case StreamStep.End end -> hopEnded();
            case StreamStep.Broken broken -> fail(broken.failure());
        }
    }

    private void relay(MessageEvent event) {
        state.fold.add(event);
        switch (event) {
            case MessageEvent.MessageStart start -> {
                if (!started) {
                    started = true;
                    emit(start);
                }
            }
            case MessageEvent.BlockStart start -> {
                boolean search = start.block() instanceof ContentBlock.ToolUse use
                        && use.name().equals(loop.tool().name());
                if (search) {
                    state.searchCalls.add(start.index());
                } else if (!state.searchCalls.isEmpty()) {
                    state.heldBlocks.add(start.index());
                    state.held.computeIfAbsent(start.index(), i -> new ArrayList<>()).add(start);
                } else {
                    state.relayedAs.put(start.index(), nextIndex++);
                    emit(new MessageEvent.BlockStart(state.relayedAs.get(start.index()), start.block()));
                }
            }
            case MessageEvent.BlockDelta delta -> route(delta.index(), delta,
                    index -> new MessageEvent.BlockDelta(index, delta.delta()));
            case MessageEvent.BlockStop stop -> route(stop.index(), stop, MessageEvent.BlockStop::new);
            case MessageEvent.MessageDelta delta -> { }
            case MessageEvent.MessageStop stop -> { }
            case MessageEvent.Other other -> {
                ready.add(new StreamStep.Event(other.event()));
                if (other.event().isError()) {
                    finish();
                }
            }
        }
    }

    private void route(int upstreamIndex, MessageEvent event, java.util.function.IntFunction<MessageEvent> renumbered) {
        if (state.searchCalls.contains(upstreamIndex)) {
            return;
        }
        if (state.heldBlocks.contains(upstreamIndex)) {
            state.held.get(upstreamIndex).add(event);
            return;
        }
        Integer index = state.relayedAs.get(upstreamIndex);
        if (index != null) {
            emit(renumbered.apply(index));
        }
    }

    private void hopEnded() {
        closeHop();
        MessageResponse answer;
        try {
            answer = state.fold.result();
        } catch (IllegalStateException e) {
            fail(new ProviderFailure.MalformedReply(200, "a follow-up stream had no message_start"));
            return;
        }
        switch (loop.onAnswer(answer)) {
            case LoopStep.Finish finish -> {
                releaseHeld(answer, Map.of());
                end(finish.response());
            }
            case LoopStep.Search search -> {
                List<Future<SearchOutcome>> running = searches.start(search.searches());
                List<SearchOutcome> outcomes = releaseHeld(answer, futuresById(search, running));
                next(search.loop().onSearched(outcomes));
            }
            case LoopStep.CallModel call -> next(call);
        }
    }

    private Map<String, Future<SearchOutcome>> futuresById(LoopStep.Search search, List<Future<SearchOutcome>> running) {
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
    private List<SearchOutcome> releaseHeld(MessageResponse answer, Map<String, Future<SearchOutcome>> running) {
        List<SearchOutcome> outcomes = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>(state.searchCalls);
        indexes.addAll(state.heldBlocks);
        indexes.sort(Integer::compare);
        for (int upstreamIndex : indexes) {
            if (state.heldBlocks.contains(upstreamIndex)) {
                int index = nextIndex++;
                for (MessageEvent event : state.held.get(upstreamIndex)) {
                    emit(renumber(event, index));
                }
                continue;
            }
            ContentBlock.ToolUse use = (ContentBlock.ToolUse) state.fold.block(upstreamIndex).orElseThrow();
            Future<SearchOutcome> future = running.get(use.id());
            if (future == null) {
                continue;
            }
            SearchOutcome outcome = Searches.await(future);
            outcomes.add(outcome);
            if (loop.tool().nativeTool()) {
                emitSearchPair(use, outcome);
            }
        }
        return outcomes;
    }

    private void emitSearchPair(ContentBlock.ToolUse use, SearchOutcome outcome) {
        String id = AgenticLoop.serverToolId(use.id());
        int callIndex = nextIndex++;
        emit(new MessageEvent.BlockStart(callIndex,
                new ContentBlock.ServerToolUse(id, "web_search", RawJson.empty(), RawJson.empty())));
        emit(new MessageEvent.BlockDelta(callIndex, new MessageEvent.Delta.InputJson(codec.toJson(use.input()))));
        emit(new MessageEvent.BlockStop(callIndex));
        int resultIndex = nextIndex++;
        emit(new MessageEvent.BlockStart(resultIndex, new ContentBlock.WebSearchToolResult(id,
                SearchResultText.forClient(outcome), RawJson.empty())));
        emit(new MessageEvent.BlockStop(resultIndex));
    }

    private void next(LoopStep step) {
        switch (step) {
            case LoopStep.Finish finish -> end(finish.response());
            case LoopStep.Search search -> throw new IllegalStateException("searches follow an answer, not searches");
            case LoopStep.CallModel call -> {
                Routed<ProviderStream.Opened> opened = router.callBound(bound, HopKind.GATEWAY_FOLLOW_UP,
                        deployment -> switch (provider.stream(deployment, new ProviderRequest(call.request(), headers))) {
                            case ProviderStream.Opened open -> new Attempt.Succeeded<>(open);
                            case ProviderStream.Failed failed -> new Attempt.Failed<>(failed.failure());
                        });
                switch (opened) {
                    case Routed.Served<ProviderStream.Opened> served -> {
                        loop = call.loop();
                        hop = served.value().events();
                        hopRelease = served.release();
                        state = new Hop();
                    }
                    case Routed.Refused<ProviderStream.Opened> refused -> fail(failureOf(refused.error()));
                }
            }
        }
    }

    /** A bound call can only fail upstream: it never looks up a group or a cooldown. */
    private static ProviderFailure failureOf(GatewayError error) {
        return switch (error) {
            case GatewayError.UpstreamFailed upstream -> upstream.failure();
            case GatewayError.UnknownModel unknown -> throw new IllegalStateException("a bound call named a model");
            case GatewayError.AllCoolingDown cooling -> throw new IllegalStateException("a bound call checked cooldowns");
        };
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
        ready.add(new StreamStep.Event(codec.write(event)));
    }

    private static MessageEvent renumber(MessageEvent event, int index) {
        return switch (event) {
            case MessageEvent.BlockStart start -> new MessageEvent.BlockStart(index, start.block());
            case MessageEvent.BlockDelta delta -> new MessageEvent.BlockDelta(index, delta.delta());
            case MessageEvent.BlockStop stop -> new MessageEvent.BlockStop(index);
            case MessageEvent.MessageStart start -> start;
            case MessageEvent.MessageDelta delta -> delta;
            case MessageEvent.MessageStop stop -> stop;
            case MessageEvent.Other other -> other;
        };
    }
}
