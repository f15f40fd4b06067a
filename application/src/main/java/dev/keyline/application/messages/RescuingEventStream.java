package dev.keyline.application.messages;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.PartialAnswer;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.UpstreamEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A streamed answer that is finished by another call when its upstream breaks off after the client got part of it.
 * While the answer is text only, the text the client got is kept (as the events that carried it, read only if a
 * rescue needs them); when the stream breaks (cut, stalled, an event that failed its check, or an
 * {@code overloaded_error} or {@code api_error} event), a {@link Continuer} asks a deployment to continue that text,
 * and the continuation's events are spliced into the same message: its {@code message_start} and the start of the
 * text block it continues are not relayed, its indexes follow the client's, the whitespace the client already has is
 * not sent twice, and its {@code message_delta} reports the output of every call. The client sees one well-formed
 * message. An answer with a tool call or thinking, or one whose rescue finds no deployment, ends as before: the
 * original failure.
 */
final class RescuingEventStream implements EventStream {

    /** A continuation can break too; this many rescues at most, each within the request's deadline. */
    static final int MAX_RESCUES = 3;

    private static final System.Logger LOG = System.getLogger(RescuingEventStream.class.getName());
    private static final int CHARACTERS_PER_TOKEN = 4;

    /** Finds a deployment to continue a broken answer. */
    interface Continuer {
        /**
         * @param broken   the deployment whose stream broke
         * @param failure  how it broke
         * @param answer   the text the client got
         * @return the continuation's stream and its deployment, or empty when none could continue
         */
        Optional<Continued> continueFrom(Deployment broken, ProviderFailure failure, PartialAnswer answer);
    }

    /** A continuation under way: its events (starting with its own {@code message_start}) and where they come from. */
    record Continued(EventStream events, Deployment deployment) {
        Continued {
            Objects.requireNonNull(events, "'events' must not be null");
            Objects.requireNonNull(deployment, "'deployment' must not be null");
        }
    }

    private final MessageEventCodec codec;
    private final Continuer continuer;
    private final String requestId;

    private EventStream current;
    private Deployment deployment;
    private int rescues;

    /** False once the answer holds anything but text, or its end is under way: it is then relayed as it comes. */
    private boolean rescuable = true;
    /** The events that carried the client's text: text block starts and deltas, as the client got them. */
    private final List<UpstreamEvent> textEvents = new ArrayList<>();
    /** Whether the client got a {@code message_start}: a continuation's own is then not relayed. */
    private boolean started;
    /** The client's block that is open now, or -1. */
    private int openBlock = -1;
    /** The index the client's next block gets. */
    private int nextBlock;
    /** Output tokens of the calls that broke, as estimated from their text; added to the continuation's count. */
    private long brokenOutput;

    /** While a continuation is relayed: its block indexes mapped to the client's. */
    private Map<Integer, Integer> indexes = Map.of();
    /** While a continuation is relayed: whether its first text block is still to come (it joins the open one). */
    private boolean joinOpenBlock;
    /** While a continuation is relayed: the trailing whitespace of the client's text its own text may repeat. */
    private String held = "";
    /** Events the gateway adds (the end of the client's open block) ahead of the continuation's next. */
    private final ArrayDeque<UpstreamEvent> pending = new ArrayDeque<>();
    /** The length of the client's text that the estimate of broken output has counted. */
    private int estimated;

    RescuingEventStream(
            EventStream first, Deployment deployment, MessageEventCodec codec, Continuer continuer, String requestId) {
        this.current = Objects.requireNonNull(first, "'first' must not be null");
        this.deployment = Objects.requireNonNull(deployment, "'deployment' must not be null");
        this.codec = Objects.requireNonNull(codec, "'codec' must not be null");
        this.continuer = Objects.requireNonNull(continuer, "'continuer' must not be null");
        this.requestId = Objects.requireNonNull(requestId, "'requestId' must not be null");
    }

    @Override
    public StreamStep next() {
        if (!pending.isEmpty()) {
            UpstreamEvent event = pending.removeFirst();
            note(event);
            return new StreamStep.Event(event);
        }
        while (true) {
            StreamStep step = current.next();
            switch (step) {
                case StreamStep.Event event -> {
                    Optional<ProviderFailure> midStreamError = rescuableError(event.event());
                    if (midStreamError.isPresent()) {
                        Optional<StreamStep> rescued = rescue(midStreamError.get(), step);
                        if (rescued.isPresent()) {
                            return rescued.get();
                        }
                        continue;
                    }
                    Optional<UpstreamEvent> relayed =
                            rescues == 0 ? Optional.of(event.event()) : spliced(event.event());
                    if (relayed.isEmpty()) {
                        continue;
                    }
                    note(relayed.get());
                    return relayed.get() == event.event() ? step : new StreamStep.Event(relayed.get());
                }
                case StreamStep.End end -> {
                    return step;
                }
                case StreamStep.Broken broken -> {
                    Optional<StreamStep> rescued = rescue(broken.failure(), step);
                    if (rescued.isPresent()) {
                        return rescued.get();
                    }
                }
            }
        }
    }

    @Override
    public boolean ready() {
        return !pending.isEmpty() || current.ready();
    }

    @Override
    public void close() {
        current.close();
    }

    /** Keeps what a rescue needs of an event the client is about to get. */
    private void note(UpstreamEvent event) {
        if (!rescuable) {
            return;
        }
        // A rescue needs the client's text and where its blocks stand; nothing else is read.
        switch (event.type()) {
            case "message_start" -> started = true;
            case "content_block_start" -> {
                if (codec.typed(event) instanceof MessageEvent.BlockStart start
                        && start.block() instanceof ContentBlock.Text) {
                    openBlock = start.index();
                    nextBlock = Math.max(nextBlock, start.index() + 1);
                    textEvents.add(event);
                } else {
                    giveUp();
                }
            }
            case "content_block_delta" -> textEvents.add(event); // read only if a rescue comes
            case "content_block_stop" -> openBlock = -1;
            case "message_delta", "message_stop" -> giveUp(); // the answer is whole; only its end could be lost
            default -> {}
        }
    }

    private void giveUp() {
        rescuable = false;
        textEvents.clear();
    }

    /** @return the next step after a rescue, or empty when the continuation's events are to be read */
    private Optional<StreamStep> rescue(ProviderFailure failure, StreamStep asItCame) {
        Optional<String> text = rescuable && rescues < MAX_RESCUES ? text() : Optional.empty();
        if (text.isEmpty()) {
            return Optional.of(asItCame);
        }
        PartialAnswer answer = new PartialAnswer(text.get());
        current.close();
        Optional<Continued> continued = continuer.continueFrom(deployment, failure, answer);
        if (continued.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "stream from {0} broke after {1} characters and no deployment could continue it (request {2})",
                    deployment.id(),
                    answer.text().length(),
                    requestId);
            rescuable = false;
            return Optional.of(asItCame);
        }
        LOG.log(
                System.Logger.Level.INFO,
                "stream from {0} broke after {1} characters; {2} continues it (request {3})",
                deployment.id(),
                answer.text().length(),
                continued.get().deployment().id(),
                requestId);
        rescues++;
        brokenOutput += (answer.text().length() - estimated + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
        estimated = answer.text().length();
        current = continued.get().events();
        deployment = continued.get().deployment();
        indexes = new HashMap<>();
        joinOpenBlock = openBlock >= 0;
        held = answer.heldWhitespace();
        return Optional.empty();
    }

    /** @return the client's text, or empty when something in it is not plain text (a citation, say) */
    private Optional<String> text() {
        StringBuilder text = new StringBuilder();
        for (UpstreamEvent event : textEvents) {
            switch (codec.typed(event)) {
                case MessageEvent.BlockStart start
                when start.block() instanceof ContentBlock.Text block -> text.append(block.text());
                case MessageEvent.BlockDelta delta
                when delta.delta() instanceof MessageEvent.Delta.Text piece -> text.append(piece.text());
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(text.toString());
    }

    /** @return the continuation's event as the client gets it, or empty when it is not relayed */
    private Optional<UpstreamEvent> spliced(UpstreamEvent event) {
        return switch (event.type()) {
            case "message_start" -> started ? Optional.empty() : Optional.of(event);
            case "content_block_start" -> {
                if (!(codec.typed(event) instanceof MessageEvent.BlockStart start)) {
                    yield Optional.of(event);
                }
                if (joinOpenBlock && start.block() instanceof ContentBlock.Text block) {
                    joinOpenBlock = false;
                    indexes.put(start.index(), openBlock);
                    String rest = unheld(block.text());
                    yield rest.isEmpty()
                            ? Optional.empty()
                            : Optional.of(
                                    typed(new MessageEvent.BlockDelta(openBlock, new MessageEvent.Delta.Text(rest))));
                }
                if (!(start.block() instanceof ContentBlock.Text)) {
                    held = ""; // the client's whitespace is repeated only by text that follows it
                }
                int index = nextBlock++;
                indexes.put(start.index(), index);
                yield afterJoinableBlock(
                        start.index() == index ? event : typed(new MessageEvent.BlockStart(index, start.block())));
            }
            case "content_block_delta" -> {
                if (!(codec.typed(event) instanceof MessageEvent.BlockDelta delta)) {
                    yield Optional.of(event);
                }
                int index = indexes.getOrDefault(delta.index(), delta.index());
                if (!held.isEmpty() && delta.delta() instanceof MessageEvent.Delta.Text piece) {
                    String rest = unheld(piece.text());
                    yield rest.isEmpty()
                            ? Optional.empty()
                            : Optional.of(typed(new MessageEvent.BlockDelta(index, new MessageEvent.Delta.Text(rest))));
                }
                held = "";
                yield Optional.of(
                        index == delta.index() ? event : typed(new MessageEvent.BlockDelta(index, delta.delta())));
            }
            case "content_block_stop" -> {
                if (!(codec.typed(event) instanceof MessageEvent.BlockStop stop)) {
                    yield Optional.of(event);
                }
                int index = indexes.getOrDefault(stop.index(), stop.index());
                yield Optional.of(index == stop.index() ? event : typed(new MessageEvent.BlockStop(index)));
            }
            case "message_delta" -> {
                if (!(codec.typed(event) instanceof MessageEvent.MessageDelta delta)) {
                    yield Optional.of(event);
                }
                Usage usage = delta.usage();
                yield afterJoinableBlock(typed(new MessageEvent.MessageDelta(
                        delta.stopReason(),
                        delta.stopSequence(),
                        new Usage(
                                usage.inputTokens(),
                                usage.outputTokens() + brokenOutput,
                                usage.cacheCreationInputTokens(),
                                usage.cacheReadInputTokens(),
                                usage.webSearchRequests(),
                                usage.webFetchRequests(),
                                usage.extra()))));
            }
            default -> Optional.of(event);
        };
    }

    /**
     * A continuation that does not go on with text (a tool call, or straight to its end) leaves the client's open
     * block to be ended first: its end is relayed now and the event after it.
     *
     * @param event the continuation's event as the client gets it
     * @return the event to relay now
     */
    private Optional<UpstreamEvent> afterJoinableBlock(UpstreamEvent event) {
        if (!joinOpenBlock) {
            return Optional.of(event);
        }
        joinOpenBlock = false;
        pending.add(event);
        return Optional.of(typed(new MessageEvent.BlockStop(openBlock)));
    }

    /**
     * @param text the continuation's next text
     * @return it without the whitespace the client already has: characters matching the held whitespace are
     *     dropped until the first that differs
     */
    private String unheld(String text) {
        int matched = 0;
        while (matched < text.length() && matched < held.length() && text.charAt(matched) == held.charAt(matched)) {
            matched++;
        }
        if (matched == text.length()) {
            held = held.substring(matched);
            return "";
        }
        held = "";
        return text.substring(matched);
    }

    private static UpstreamEvent typed(MessageEvent event) {
        return new UpstreamEvent.Typed(event);
    }

    /**
     * @return the failure an {@code error} event reports, when it is one a continuation can get past (the upstream
     *     overloaded or failing mid-answer); empty for every other event
     */
    private Optional<ProviderFailure> rescuableError(UpstreamEvent event) {
        if (!rescuable || !event.type().equals("error")) {
            return Optional.empty();
        }
        String data = codec.framed(event).data();
        Object error = codec.parseObject(data).get("error").orElse(null);
        Object type = error instanceof Map<?, ?> fields ? fields.get("type") : null;
        if ("overloaded_error".equals(type)) {
            return Optional.of(ProviderFailure.fromHttpStatus(529, data, Optional.empty()));
        }
        if ("api_error".equals(type)) {
            return Optional.of(ProviderFailure.fromHttpStatus(500, data, Optional.empty()));
        }
        return Optional.empty();
    }
}
