package dev.keyline.application.messages;

import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.MessageFold;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.RawJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One streamed hop of a search loop, renumbered into the client's single message. Blocks before the model's first
 * search call are relayed as they arrive, under new indexes; the search calls themselves are swallowed (the loop
 * shows its own {@code server_tool_use} blocks); blocks after a search call are held back until the searches are
 * known, so the client sees them in the hop's order. The hop is also folded, so the loop can read its answer.
 */
final class HopRelay {

    /** What the hop held back after its first search call, in the hop's order. */
    sealed interface Held {
        /** A search the model asked for. */
        record SearchCall(ContentBlock.ToolUse use) implements Held {}

        /** A block that came after a search call, to be shown under the index it gets on release. */
        record Block(IntFunction<List<MessageEvent>> events) implements Held {}
    }

    private final String searchToolName;
    private final BlockIndexes indexes;
    private final MessageFold fold;
    private final Map<Integer, Integer> relayedAs = new HashMap<>();
    private final Set<Integer> searchCalls = new HashSet<>();
    private final Map<Integer, List<MessageEvent>> held = new HashMap<>();
    private final Function<String, List<RawJson>> citations;

    /**
     * @param citations the citations of a text block of this hop, as the loop gives them for the JSON answer
     */
    HopRelay(
            String searchToolName,
            BlockIndexes indexes,
            Function<String, RawJson> parseObject,
            Function<String, List<RawJson>> citations) {
        this.searchToolName = searchToolName;
        this.indexes = indexes;
        this.fold = new MessageFold(parseObject);
        this.citations = citations;
    }

    /**
     * @param event the hop's next event
     * @return the block events to show the client now, renumbered; message-level events are the driver's business
     */
    List<MessageEvent> relay(MessageEvent event) {
        fold.add(event);
        return switch (event) {
            case MessageEvent.BlockStart start -> start(start);
            case MessageEvent.BlockDelta delta ->
                route(delta.index(), delta, index -> new MessageEvent.BlockDelta(index, delta.delta()));
            case MessageEvent.BlockStop stop -> stopWithCitations(stop);
            case MessageEvent.MessageStart start -> List.of();
            case MessageEvent.MessageDelta delta -> List.of();
            case MessageEvent.MessageStop stop -> List.of();
            case MessageEvent.Other other -> List.of();
        };
    }

    /**
     * @return the hop's whole answer
     * @throws IllegalStateException when the hop never started a message
     */
    MessageResponse answer() {
        return fold.result();
    }

    /** @return the search calls and held-back blocks, in the hop's order */
    List<Held> held() {
        TreeMap<Integer, Held> inOrder = new TreeMap<>();
        for (int index : searchCalls) {
            Optional<ContentBlock> block = fold.block(index);
            if (block.isPresent() && block.get() instanceof ContentBlock.ToolUse use) {
                inOrder.put(index, new Held.SearchCall(use));
            }
        }
        held.forEach((index, events) -> inOrder.put(
                index,
                new Held.Block(shownAs ->
                        events.stream().map(e -> renumber(e, shownAs)).toList())));
        return new ArrayList<>(inOrder.values());
    }

    /**
     * A finished text block gets its citations as {@code citations_delta} events just before it closes: only the
     * whole text says what it draws on. SDKs add them to the block whatever their place among its deltas.
     */
    private List<MessageEvent> stopWithCitations(MessageEvent.BlockStop stop) {
        List<MessageEvent> shown = new ArrayList<>();
        if (fold.block(stop.index()).orElse(null) instanceof ContentBlock.Text text
                && text.extra().get("citations").isEmpty()) {
            for (RawJson citation : citations.apply(text.text())) {
                MessageEvent delta =
                        new MessageEvent.BlockDelta(stop.index(), new MessageEvent.Delta.Citation(citation));
                shown.addAll(route(stop.index(), delta, index -> renumber(delta, index)));
            }
        }
        shown.addAll(route(stop.index(), stop, MessageEvent.BlockStop::new));
        return shown;
    }

    private List<MessageEvent> start(MessageEvent.BlockStart start) {
        if (start.block() instanceof ContentBlock.ToolUse use && use.name().equals(searchToolName)) {
            searchCalls.add(start.index());
            return List.of();
        }
        if (!searchCalls.isEmpty()) {
            held.computeIfAbsent(start.index(), i -> new ArrayList<>()).add(start);
            return List.of();
        }
        int shownAs = indexes.take();
        relayedAs.put(start.index(), shownAs);
        return List.of(new MessageEvent.BlockStart(shownAs, start.block()));
    }

    private List<MessageEvent> route(int upstreamIndex, MessageEvent event, IntFunction<MessageEvent> renumbered) {
        if (searchCalls.contains(upstreamIndex)) {
            return List.of();
        }
        List<MessageEvent> heldBlock = held.get(upstreamIndex);
        if (heldBlock != null) {
            heldBlock.add(event);
            return List.of();
        }
        Integer shownAs = relayedAs.get(upstreamIndex);
        return shownAs == null ? List.of() : List.of(renumbered.apply(shownAs));
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
