package dev.keyline.domain.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Accumulates the events of one streamed message into the message they describe, as an SDK does. Tool inputs
 * arrive as JSON text in pieces; {@code parseObject} turns the joined text into an object when the block closes.
 */
public final class MessageFold {

    private final Function<String, RawJson> parseObject;
    private MessageResponse start;
    private final Map<Integer, ContentBlock> blocks = new TreeMap<>();
    private final Map<Integer, StringBuilder> inputs = new TreeMap<>();
    private Optional<String> stopReason = Optional.empty();
    private Optional<String> stopSequence = Optional.empty();
    private Optional<Usage> usage = Optional.empty();

    /** @param parseObject parses a tool input's JSON text */
    public MessageFold(Function<String, RawJson> parseObject) {
        this.parseObject = parseObject;
    }

    /** Adds one event. */
    public void add(MessageEvent event) {
        switch (event) {
            case MessageEvent.MessageStart messageStart -> start = messageStart.message();
            case MessageEvent.BlockStart blockStart -> blocks.put(blockStart.index(), blockStart.block());
            case MessageEvent.BlockDelta delta -> applyDelta(delta.index(), delta.delta());
            case MessageEvent.BlockStop stop -> closeInput(stop.index());
            case MessageEvent.MessageDelta delta -> {
                stopReason = delta.stopReason().or(() -> stopReason);
                stopSequence = delta.stopSequence().or(() -> stopSequence);
                usage = Optional.of(delta.usage());
            }
            case MessageEvent.MessageStop stop -> {}
            case MessageEvent.Other other -> {}
        }
    }

    /** @return the block at {@code index} as folded so far */
    public Optional<ContentBlock> block(int index) {
        return Optional.ofNullable(blocks.get(index));
    }

    /** @return the message; its usage combines {@code message_start}'s with the last {@code message_delta}'s */
    public MessageResponse result() {
        if (start == null) {
            throw new IllegalStateException("the stream had no message_start");
        }
        Usage begun = start.usage();
        Usage total = usage.map(delta -> new Usage(
                        delta.inputTokens() > 0 ? delta.inputTokens() : begun.inputTokens(),
                        delta.outputTokens(),
                        delta.cacheCreationInputTokens() > 0
                                ? delta.cacheCreationInputTokens()
                                : begun.cacheCreationInputTokens(),
                        delta.cacheReadInputTokens() > 0 ? delta.cacheReadInputTokens() : begun.cacheReadInputTokens(),
                        Math.max(delta.webSearchRequests(), begun.webSearchRequests()),
                        Math.max(delta.webFetchRequests(), begun.webFetchRequests()),
                        begun.extra()))
                .orElse(begun);
        return new MessageResponse(
                start.id(),
                start.model(),
                new ArrayList<>(blocks.values()),
                stopReason,
                stopSequence,
                total,
                start.extra());
    }

    private void applyDelta(int index, MessageEvent.Delta delta) {
        ContentBlock block = blocks.get(index);
        if (block == null) {
            return;
        }
        switch (delta) {
            case MessageEvent.Delta.Text text -> {
                if (block instanceof ContentBlock.Text current) {
                    blocks.put(index, new ContentBlock.Text(current.text() + text.text(), current.extra()));
                }
            }
            case MessageEvent.Delta.Thinking thinking -> {
                if (block instanceof ContentBlock.Thinking current) {
                    blocks.put(
                            index,
                            new ContentBlock.Thinking(
                                    current.thinking() + thinking.thinking(), current.signature(), current.extra()));
                }
            }
            case MessageEvent.Delta.Signature signature -> {
                if (block instanceof ContentBlock.Thinking current) {
                    blocks.put(
                            index,
                            new ContentBlock.Thinking(current.thinking(), signature.signature(), current.extra()));
                }
            }
            case MessageEvent.Delta.Citation citation -> {
                if (block instanceof ContentBlock.Text current) {
                    List<Object> citations = new ArrayList<>();
                    current.extra()
                            .get("citations")
                            .filter(List.class::isInstance)
                            .ifPresent(existing -> citations.addAll((List<?>) existing));
                    citations.add(citation.citation().fields());
                    blocks.put(
                            index,
                            new ContentBlock.Text(
                                    current.text(), current.extra().with("citations", citations)));
                }
            }
            case MessageEvent.Delta.InputJson json ->
                inputs.computeIfAbsent(index, i -> new StringBuilder()).append(json.partialJson());
            case MessageEvent.Delta.Other other -> {}
        }
    }

    private void closeInput(int index) {
        StringBuilder json = inputs.remove(index);
        if (json == null || json.isEmpty()) {
            return;
        }
        RawJson input = parseObject.apply(json.toString());
        ContentBlock block = blocks.get(index);
        if (block instanceof ContentBlock.ToolUse use) {
            blocks.put(index, new ContentBlock.ToolUse(use.id(), use.name(), input, use.extra()));
        } else if (block instanceof ContentBlock.ServerToolUse use) {
            blocks.put(index, new ContentBlock.ServerToolUse(use.id(), use.name(), input, use.extra()));
        }
    }
}
