package dev.keyline.application.messages;

import dev.keyline.application.routing.Attempt;
import dev.keyline.application.routing.Routed;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.websearch.AgenticLoop;
import dev.keyline.domain.websearch.LoopLimits;
import dev.keyline.domain.websearch.LoopStep;
import dev.keyline.domain.websearch.SearchTool;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.HandleMessagesUseCase;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.out.UpstreamHeaders;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Answers a Messages request through the {@link Router}: each attempt calls the upstream of one deployment. When
 * the request offers web search and the deployment it lands on is intercepted, the first hop starts a search loop
 * that {@link JsonSearchLoop} or {@link StreamingSearchLoop} finishes through that same upstream.
 */
public final class HandleMessagesService implements HandleMessagesUseCase {

    private final Router router;
    private final WebSearchInterception interception;
    private final MessageEventCodec codec;
    private final Searches searches;
    private final JsonSearchLoop jsonLoops;
    private final boolean rescueStreams;

    /** A service that leaves a broken stream broken (tests of everything else). */
    public HandleMessagesService(Router router, WebSearchInterception interception, MessageEventCodec codec) {
        this(router, interception, codec, false);
    }

    /**
     * @param codec         reads and writes the events of streamed search loops and rescued streams
     * @param rescueStreams whether a stream that breaks after part of a text answer is continued by another call
     *                      ({@code router_settings.stream_resume})
     */
    public HandleMessagesService(
            Router router, WebSearchInterception interception, MessageEventCodec codec, boolean rescueStreams) {
        this.rescueStreams = rescueStreams;
        this.router = Objects.requireNonNull(router, "'router' must not be null");
        this.interception = Objects.requireNonNull(interception, "'interception' must not be null");
        this.codec = Objects.requireNonNull(codec, "'codec' must not be null");
        this.searches = new Searches(interception.engine());
        this.jsonLoops = new JsonSearchLoop(router, searches);
    }

    /** A JSON request's first hop: an answer to relay, or a search loop to finish. */
    private sealed interface JsonFirstHop {
        record Relayed(ProviderReply.Completed reply) implements JsonFirstHop {}

        record Looping(LoopStep step, UpstreamHeaders headers) implements JsonFirstHop {}
    }

    /** A streamed request's first hop: a stream to relay, or a streamed search loop to drive. */
    private sealed interface StreamedFirstHop {
        record Relayed(ProviderStream.Opened opened) implements StreamedFirstHop {}

        record Looping(AgenticLoop loop, ProviderStream.Opened opened) implements StreamedFirstHop {}
    }

    @Override
    public MessagesResult handle(MessagesCommand command) {
        Routed<JsonFirstHop> routed = router.route(
                command.request().model(),
                HopKind.CLIENT_REQUEST,
                command.journal(),
                upstream -> jsonFirstHop(upstream, command));
        return switch (routed) {
            case Routed.Served<JsonFirstHop> served -> {
                try {
                    yield answered(served, command);
                } finally {
                    served.release().run();
                }
            }
            case Routed.Refused<JsonFirstHop> refused -> new MessagesResult.Refused(refused.error());
        };
    }

    @Override
    public MessagesStreamResult stream(MessagesCommand command) {
        Routed<StreamedFirstHop> routed = router.route(
                command.request().model(),
                HopKind.CLIENT_REQUEST,
                command.journal(),
                upstream -> streamedFirstHop(upstream, command));
        return switch (routed) {
            case Routed.Served<StreamedFirstHop> served ->
                switch (served.value()) {
                    case StreamedFirstHop.Relayed relayed ->
                        new MessagesStreamResult.Streaming(
                                rescued(
                                        new ReleasingEventStream(
                                                relayed.opened().events(), served.release()),
                                        served,
                                        command),
                                served.upstream().deployment().id(),
                                served.attempts(),
                                relayed.opened().headers());
                    case StreamedFirstHop.Looping looping ->
                        new MessagesStreamResult.Streaming(
                                new StreamingSearchLoop(
                                        router,
                                        codec,
                                        searches,
                                        served.upstream(),
                                        command.headers(),
                                        command.journal(),
                                        looping.loop(),
                                        looping.opened().events(),
                                        served.release()),
                                served.upstream().deployment().id(),
                                served.attempts(),
                                looping.opened().headers());
                };
            case Routed.Refused<StreamedFirstHop> refused -> new MessagesStreamResult.Refused(refused.error());
        };
    }

    private EventStream rescued(EventStream relayed, Routed.Served<?> served, MessagesCommand command) {
        if (!rescueStreams) {
            return relayed;
        }
        RescuingEventStream.Continuer continuer = (broken, brokenOn, failure, answer, broke) -> {
            ProviderRequest continuation =
                    new ProviderRequest(answer.continuation(command.request()), command.headers());
            Routed<ProviderStream.Opened> resumed = router.resume(
                    command.request().model(),
                    broken,
                    brokenOn,
                    failure,
                    broke,
                    served.deadline(),
                    command.journal(),
                    upstream -> Attempt.of(upstream.stream(continuation)));
            return switch (resumed) {
                case Routed.Served<ProviderStream.Opened> continued ->
                    Optional.of(new RescuingEventStream.Continued(
                            new ReleasingEventStream(continued.value().events(), continued.release()),
                            continued.upstream().deployment()));
                case Routed.Refused<ProviderStream.Opened> refused -> Optional.empty();
            };
        };
        return new RescuingEventStream(
                relayed,
                served.upstream().deployment(),
                codec,
                continuer,
                command.journal().id().toString());
    }

    private MessagesResult answered(Routed.Served<JsonFirstHop> served, MessagesCommand command) {
        Upstream upstream = served.upstream();
        return switch (served.value()) {
            case JsonFirstHop.Relayed relayed ->
                new MessagesResult.Answered(
                        relayed.reply().answer(),
                        upstream.deployment().id(),
                        served.attempts(),
                        relayed.reply().headers());
            case JsonFirstHop.Looping looping ->
                switch (jsonLoops.finish(upstream, command.headers(), command.journal(), looping.step())) {
                    case JsonSearchLoop.Outcome.Done done ->
                        new MessagesResult.Answered(
                                done.response(), upstream.deployment().id(), served.attempts(), looping.headers());
                    case JsonSearchLoop.Outcome.Failed failed ->
                        new MessagesResult.Refused(new GatewayError.UpstreamFailed(
                                upstream.deployment().id(), failed.failure()));
                };
        };
    }

    private Attempt<JsonFirstHop> jsonFirstHop(Upstream upstream, MessagesCommand command) {
        Optional<LoopStep.CallModel> loop = searchLoop(upstream, command);
        if (loop.isPresent()) {
            LoopStep.CallModel first = loop.get();
            return Attempt.of(upstream.send(new ProviderRequest(first.request(), command.headers())))
                    .map(completed ->
                            new JsonFirstHop.Looping(first.loop().onAnswer(completed.response()), completed.headers()));
        }
        return Attempt.of(upstream.send(new ProviderRequest(command.request(), command.headers())))
                .map(JsonFirstHop.Relayed::new);
    }

    private Attempt<StreamedFirstHop> streamedFirstHop(Upstream upstream, MessagesCommand command) {
        Optional<LoopStep.CallModel> loop = searchLoop(upstream, command);
        if (loop.isPresent()) {
            LoopStep.CallModel first = loop.get();
            return Attempt.of(upstream.stream(new ProviderRequest(first.request(), command.headers())))
                    .map(opened -> new StreamedFirstHop.Looping(first.loop(), opened));
        }
        return Attempt.of(upstream.stream(new ProviderRequest(command.request(), command.headers())))
                .map(StreamedFirstHop.Relayed::new);
    }

    /** @return the loop's first call when the request offers web search and this upstream's searches are ours */
    private Optional<LoopStep.CallModel> searchLoop(Upstream upstream, MessagesCommand command) {
        return SearchTool.find(command.request().tools()).flatMap(tool -> {
            OptionalInt limit = interception.limitFor(upstream.deployment());
            if (limit.isPresent()) {
                command.journal().loopStarted();
            }
            return limit.isPresent()
                    ? Optional.of(AgenticLoop.start(
                            command.request(),
                            tool,
                            new LoopLimits(limit.getAsInt(), tool.maxUses(), interception.resultsPerQuery())))
                    : Optional.empty();
        });
    }
}
