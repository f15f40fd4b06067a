package dev.keyline.ports.service;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.websearch.AgenticLoop;
import dev.keyline.domain.websearch.LoopLimits;
import dev.keyline.domain.websearch.LoopStep;
import dev.keyline.domain.websearch.SearchTool;
import dev.keyline.ports.in.HandleMessagesUseCase;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.UpstreamHeaders;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Answers a Messages request through the {@link Router}: each attempt gives the provider client one whole
 * deployment. When the request offers web search and the deployment it lands on is intercepted, the first hop
 * starts a search loop that the {@link SearchLoopRunner} finishes on that same deployment.
 */
public final class HandleMessagesService implements HandleMessagesUseCase {

    private final Router router;
    private final ProviderClient provider;
    private final WebSearchInterception interception;
    private final MessageEventCodec codec;
    private final Searches searches;
    private final SearchLoopRunner loops;

    /**
     * @param codec reads and writes the events of streamed search loops
     */
    public HandleMessagesService(Router router, ProviderClient provider, WebSearchInterception interception,
                                 MessageEventCodec codec) {
        this.router = Objects.requireNonNull(router, "'router' must not be null");
        this.provider = Objects.requireNonNull(provider, "'provider' must not be null");
        this.interception = Objects.requireNonNull(interception, "'interception' must not be null");
        this.codec = Objects.requireNonNull(codec, "'codec' must not be null");
        this.searches = new Searches(interception.engine());
        this.loops = new SearchLoopRunner(router, provider, searches);
    }

    /** The first hop's outcome: an answer to relay, or a search loop to finish. */
    private sealed interface FirstHop {
        record Relayed(ProviderReply.Completed reply) implements FirstHop {
        }

        record Streamed(ProviderStream.Opened opened) implements FirstHop {
        }

        record Looping(LoopStep step, UpstreamHeaders headers) implements FirstHop {
        }

        record LoopStreaming(AgenticLoop loop, ProviderStream.Opened opened) implements FirstHop {
        }
    }

    @Override
    public MessagesResult handle(MessagesCommand command) {
        Routed<FirstHop> routed = router.route(command.request().model(), HopKind.CLIENT_REQUEST,
                deployment -> firstHop(deployment, command, false));
        return switch (routed) {
            case Routed.Served<FirstHop> served -> {
                try {
                    yield answered(served, command.headers());
                } finally {
                    served.release().run();
                }
            }
            case Routed.Refused<FirstHop> refused -> new MessagesResult.Refused(refused.error());
        };
    }

    @Override
    public MessagesStreamResult stream(MessagesCommand command) {
        Routed<FirstHop> routed = router.route(command.request().model(), HopKind.CLIENT_REQUEST,
                deployment -> firstHop(deployment, command, true));
        return switch (routed) {
            case Routed.Served<FirstHop> served -> switch (served.value()) {
                case FirstHop.Streamed streamed -> new MessagesStreamResult.Streaming(
                        new Releasing(streamed.opened().events(), served.release()), served.deployment().id(),
                        served.attempts(), streamed.opened().headers());
                case FirstHop.LoopStreaming looping -> new MessagesStreamResult.Streaming(
                        new StreamingSearchLoop(router, provider, codec, searches, served.deployment(),
                                command.headers(), looping.loop(), looping.opened().events(), served.release()),
                        served.deployment().id(), served.attempts(), looping.opened().headers());
                case FirstHop.Relayed relayed -> throw new IllegalStateException("a stream was answered as JSON");
                case FirstHop.Looping looping -> throw new IllegalStateException("a stream was answered as JSON");
            };
            case Routed.Refused<FirstHop> refused -> new MessagesStreamResult.Refused(refused.error());
        };
    }

    private MessagesResult answered(Routed.Served<FirstHop> served, ProtocolHeaders headers) {
        return switch (served.value()) {
            case FirstHop.Relayed relayed -> new MessagesResult.Answered(relayed.reply().response(),
                    served.deployment().id(), served.attempts(), relayed.reply().headers());
            case FirstHop.Streamed streamed -> throw new IllegalStateException("a JSON request was answered as a stream");
            case FirstHop.LoopStreaming looping -> throw new IllegalStateException("a JSON request was answered as a stream");
            case FirstHop.Looping looping -> switch (loops.finish(served.deployment(), headers, looping.step())) {
                case SearchLoopRunner.Outcome.Done done -> new MessagesResult.Answered(done.response(),
                        served.deployment().id(), served.attempts(), looping.headers());
                case SearchLoopRunner.Outcome.Failed failed -> new MessagesResult.Refused(failed.error());
            };
        };
    }

    private Attempt<FirstHop> firstHop(Deployment deployment, MessagesCommand command, boolean stream) {
        Optional<SearchTool> tool = SearchTool.find(command.request().tools());
        OptionalInt limit = interception.limitFor(deployment);
        if (tool.isPresent() && limit.isPresent()) {
            LoopStep.CallModel first = (LoopStep.CallModel) AgenticLoop.start(command.request(), tool.get(),
                    new LoopLimits(limit.getAsInt(), tool.get().maxUses(), interception.resultsPerQuery()));
            if (stream) {
                return switch (provider.stream(deployment, new ProviderRequest(first.request(), command.headers()))) {
                    case ProviderStream.Opened opened -> new Attempt.Succeeded<>(new FirstHop.LoopStreaming(first.loop(), opened));
                    case ProviderStream.Failed failed -> new Attempt.Failed<>(failed.failure());
                };
            }
            return switch (provider.send(deployment, new ProviderRequest(first.request(), command.headers()))) {
                case ProviderReply.Completed completed -> new Attempt.Succeeded<>(
                        new FirstHop.Looping(first.loop().onAnswer(completed.response()), completed.headers()));
                case ProviderReply.Failed failed -> new Attempt.Failed<>(failed.failure());
            };
        }
        ProviderRequest request = new ProviderRequest(command.request(), command.headers());
        if (stream) {
            return switch (provider.stream(deployment, request)) {
                case ProviderStream.Opened opened -> new Attempt.Succeeded<>(new FirstHop.Streamed(opened));
                case ProviderStream.Failed failed -> new Attempt.Failed<>(failed.failure());
            };
        }
        return switch (provider.send(deployment, request)) {
            case ProviderReply.Completed completed -> new Attempt.Succeeded<>(new FirstHop.Relayed(completed));
            case ProviderReply.Failed failed -> new Attempt.Failed<>(failed.failure());
        };
    }

    /** A stream that ends its deployment's in-flight count when it is closed. */
    private record Releasing(EventStream events, Runnable release) implements EventStream {
        @Override
        public StreamStep next() {
            return events.next();
        }

        @Override
        public void close() {
            try {
                events.close();
            } finally {
                release.run();
            }
        }
    }
}
