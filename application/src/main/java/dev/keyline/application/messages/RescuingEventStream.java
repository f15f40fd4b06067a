package dev.keyline.application.messages;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.PartialAnswer;
import dev.keyline.domain.message.Usage;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.UpstreamEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 *
 * <p>A deployment that ignores the prefill and answers anew would repeat the client's text: a continuation whose
 * text starts with the client's own (at least {@link #RESTART_MIN} characters of it) is held back until that is
 * known, and counts as a break of the continuation, never as its text.
 */
final class RescuingEventStream implements EventStream {

    /** A continuation can break too; this many rescues at most, each within the request's deadline. */
    static final int MAX_RESCUES = 3;
    /** Shorter text is not checked for a restart: a real continuation may well begin like it. */
    static final int RESTART_MIN = 16;
    /** How much of the client's text a continuation is compared with, and so held back for at most. */
    static final int RESTART_COMPARED = 256;

    private static final System.Logger LOG = System.getLogger(RescuingEventStream.class.getName());
    private static final int CHARACTERS_PER_TOKEN = 4;

    /** Finds a deployment to continue a broken answer. */
    interface Continuer {
        /**
         * @param broken   the deployment whose stream broke
         * @param brokenOn who built the call that broke: the client's request, or the gateway's continuation
         * @param failure  how it broke
         * @param answer   the text the client got
         * @param broke    the deployments whose streams broke for this answer before this break (a deployment
         *                 that breaks twice is not asked again)
         * @return the continuation's stream and its deployment, or empty when none could continue
         */
        Optional<Continued> continueFrom(
                Deployment broken,
                HopKind brokenOn,
                ProviderFailure failure,
                PartialAnswer answer,
                Set<DeploymentId> broke);
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
    /** The deployments whose streams broke for this answer: a later rescue does not ask them again. */
    private final Set<DeploymentId> broke = new HashSet<>();
    /** The first failure, as it came: what the client gets when no rescue succeeds. */
    private StreamStep original;

    /** False once the answer holds anything but text, or its end is under way: it is then relayed as it comes. */
    private boolean rescuable = true;
    /** Whether the client got a {@code message_start}: a continuation's own is then not relayed. */
    private boolean started;
    /** The events that carried the client's text: text block starts and deltas, as the client got them. */
    private final List<UpstreamEvent> textEvents = new ArrayList<>();
    /** The client's block that is open now, or -1. */
    private int openBlock = -1;
    /** The index the client's next block gets. */
    private int nextBlock;
    /** While a continuation is relayed: the index its next new block gets (its events may yet be held back). */
    private int splicedBlock;
    /** Output tokens of the calls that broke, as estimated from their text; added to the continuation's count. */
    private long brokenOutput;
    /** The length of the client's text that the estimate of broken output has counted. */
    private int estimated;

    /** Events ready for the client, in order: a continuation's, and the ends of blocks the gateway adds. */
    private final ArrayDeque<UpstreamEvent> pending = new ArrayDeque<>();
    /** While a continuation is relayed: its block indexes mapped to the client's. */
    private Map<Integer, Integer> indexes = Map.of();
    /** While a continuation is relayed: whether its first text block is still to come (it joins the open one). */
    private boolean joinOpenBlock;
    /** While a continuation is relayed: the trailing whitespace of the client's text its own text may repeat. */
    private String held = "";
    /** While a continuation is checked for a restart: the start of the client's text it must not repeat. */
    private String unrepeated = "";
    /** While a continuation is checked for a restart: its text so far. */
    private final StringBuilder continued = new StringBuilder();

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
        while (true) {
            if (!pending.isEmpty() && unrepeated.isEmpty()) {
                UpstreamEvent event = pending.removeFirst();
                note(event);
                return new StreamStep.Event(event);
            }
            StreamStep step = current.next();
            switch (step) {
                case StreamStep.Event event -> {
                    Optional<ProviderFailure> midStreamError = rescuableError(event.event());
                    if (midStreamError.isPresent()) {
                        original = original == null ? step : original;
                        if (!rescue(midStreamError.get())) {
                            return original;
                        }
                    } else if (rescues == 0) {
                        note(event.event());
                        return step;
                    } else {
                        splice(event.event());
                        if (!unrepeated.isEmpty() && !checkRestart(event.event()) && !rescueRestart()) {
                            return original;
                        }
                    }
                }
                case StreamStep.End end -> {
                    if (!pending.isEmpty()) {
                        unrepeated = ""; // a continuation that ended without repeating the client's text is one
                        continue;
                    }
                    return step;
                }
                case StreamStep.Broken broken -> {
                    pending.clear(); // a continuation's events held for its check go with it
                    unrepeated = "";
                    original = original == null ? step : original;
                    if (!rescue(broken.failure())) {
                        return original; // what the client hears is the first failure, never a continuation's
                    }
                }
            }
        }
    }

    @Override
    public boolean ready() {
        return (!pending.isEmpty() && unrepeated.isEmpty()) || current.ready();
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
                MessageEvent typed = codec.typed(event);
                if (typed instanceof MessageEvent.BlockStart start && start.block() instanceof ContentBlock.Text) {
                    openBlock = start.index();
                    nextBlock = start.index() + 1;
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

    /** @return whether a continuation is under way; false when the failure stands */
    private boolean rescue(ProviderFailure failure) {
        Optional<String> text = rescuable && rescues < MAX_RESCUES ? text() : Optional.empty();
        if (text.isEmpty()) {
            return false;
        }
        PartialAnswer answer = new PartialAnswer(text.get());
        HopKind brokenOn = rescues == 0 ? HopKind.CLIENT_REQUEST : HopKind.GATEWAY_FOLLOW_UP;
        current.close();
        Optional<Continued> next = continuer.continueFrom(deployment, brokenOn, failure, answer, Set.copyOf(broke));
        broke.add(deployment.id());
        if (next.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "stream from {0} broke after {1} characters and no deployment could continue it (request {2})",
                    deployment.id(),
                    answer.text().length(),
                    requestId);
            rescuable = false;
            current = new EndedStream();
            return false;
        }
        LOG.log(
                System.Logger.Level.INFO,
                "stream from {0} broke after {1} characters; {2} continues it (request {3})",
                deployment.id(),
                answer.text().length(),
                next.get().deployment().id(),
                requestId);
        rescues++;
        brokenOutput += (answer.text().length() - estimated + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
        estimated = answer.text().length();
        current = next.get().events();
        deployment = next.get().deployment();
        indexes = new HashMap<>();
        joinOpenBlock = openBlock >= 0;
        splicedBlock = nextBlock;
        held = answer.heldWhitespace();
        unrepeated = answer.text().length() >= RESTART_MIN
                ? answer.text().substring(0, Math.min(answer.text().length(), RESTART_COMPARED))
                : "";
        continued.setLength(0);
        return true;
    }

    /**
     * Compares the continuation's text so far with the client's.
     *
     * @return false when the continuation repeats the client's text: it answered anew
     */
    private boolean checkRestart(UpstreamEvent event) {
        switch (codec.typed(event)) {
            case MessageEvent.BlockStart start
            when start.block() instanceof ContentBlock.Text block -> continued.append(block.text());
            case MessageEvent.BlockDelta delta
            when delta.delta() instanceof MessageEvent.Delta.Text piece -> continued.append(piece.text());
            case MessageEvent.MessageStart start -> {
                return true;
            }
            case MessageEvent.Other other -> {
                return true; // a ping says nothing about the answer
            }
            default -> {
                unrepeated = ""; // anything but text: the continuation went its own way
                return true;
            }
        }
        if (continued.length() >= unrepeated.length()) {
            boolean repeats = continued.toString().startsWith(unrepeated);
            unrepeated = "";
            return !repeats;
        }
        if (!unrepeated.startsWith(continued.toString())) {
            unrepeated = "";
        }
        return true;
    }

    /** @return whether another deployment continues after one that answered anew */
    private boolean rescueRestart() {
        pending.clear();
        unrepeated = "";
        LOG.log(
                System.Logger.Level.WARNING,
                "{0} answered anew instead of continuing the text it was given; is its prefill support configured"
                        + " right (supports_prefill, continue_final_message)? (request {1})",
                deployment.id(),
                requestId);
        return rescue(restart());
    }

    private static ProviderFailure restart() {
        return new ProviderFailure.MalformedReply(200, "the deployment answered anew instead of continuing the answer");
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

    /** Adds the continuation's event to {@link #pending} as the client gets it, or nothing when it is not relayed. */
    private void splice(UpstreamEvent event) {
        switch (event.type()) {
            case "message_start" -> {
                if (!started) {
                    pending.add(event);
                }
            }
            case "content_block_start" -> {
                if (!(codec.typed(event) instanceof MessageEvent.BlockStart start)) {
                    pending.add(event);
                    return;
                }
                if (joinOpenBlock && start.block() instanceof ContentBlock.Text block) {
                    joinOpenBlock = false;
                    indexes.put(start.index(), openBlock);
                    String rest = unheld(block.text());
                    if (!rest.isEmpty()) {
                        pending.add(typed(new MessageEvent.BlockDelta(openBlock, new MessageEvent.Delta.Text(rest))));
                    }
                    return;
                }
                if (!(start.block() instanceof ContentBlock.Text)) {
                    held = ""; // the client's whitespace is repeated only by text that follows it
                }
                int index = splicedBlock++;
                indexes.put(start.index(), index);
                endJoinableBlock();
                pending.add(start.index() == index ? event : typed(new MessageEvent.BlockStart(index, start.block())));
            }
            case "content_block_delta" -> {
                if (!(codec.typed(event) instanceof MessageEvent.BlockDelta delta)) {
                    pending.add(event);
                    return;
                }
                int index = indexes.getOrDefault(delta.index(), delta.index());
                if (!held.isEmpty() && delta.delta() instanceof MessageEvent.Delta.Text piece) {
                    String rest = unheld(piece.text());
                    if (!rest.isEmpty()) {
                        pending.add(typed(new MessageEvent.BlockDelta(index, new MessageEvent.Delta.Text(rest))));
                    }
                    return;
                }
                held = "";
                pending.add(index == delta.index() ? event : typed(new MessageEvent.BlockDelta(index, delta.delta())));
            }
            case "content_block_stop" -> {
                if (!(codec.typed(event) instanceof MessageEvent.BlockStop stop)) {
                    pending.add(event);
                    return;
                }
                int index = indexes.getOrDefault(stop.index(), stop.index());
                pending.add(index == stop.index() ? event : typed(new MessageEvent.BlockStop(index)));
            }
            case "message_delta" -> {
                if (!(codec.typed(event) instanceof MessageEvent.MessageDelta delta)) {
                    pending.add(event);
                    return;
                }
                Usage usage = delta.usage();
                endJoinableBlock();
                pending.add(typed(new MessageEvent.MessageDelta(
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
            default -> pending.add(event);
        }
    }

    /** A continuation that does not go on with text (a tool call, or straight to its end) ends the open block. */
    private void endJoinableBlock() {
        if (joinOpenBlock) {
            joinOpenBlock = false;
            pending.add(typed(new MessageEvent.BlockStop(openBlock)));
        }
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

    /** What is read after a failure that stands: the stream is over. */
    private static final class EndedStream implements EventStream {
        @Override
        public StreamStep next() {
            return new StreamStep.End();
        }

        @Override
        public void close() {}
    }
}
