package dev.keyline.ports.service;

import dev.keyline.domain.routing.HopKind;
import dev.keyline.ports.in.HandleMessagesUseCase;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import java.util.Objects;

/**
 * Answers a Messages request through the {@link Router}: each attempt gives the provider client one whole
 * deployment; the client receives the serving deployment's answer, or the last upstream error unaltered.
 */
public final class HandleMessagesService implements HandleMessagesUseCase {

    private final Router router;
    private final ProviderClient provider;

    public HandleMessagesService(Router router, ProviderClient provider) {
        this.router = Objects.requireNonNull(router, "'router' must not be null");
        this.provider = Objects.requireNonNull(provider, "'provider' must not be null");
    }

    @Override
    public MessagesResult handle(MessagesCommand command) {
        ProviderRequest request = new ProviderRequest(command.request(), command.headers());
        Routed<ProviderReply.Completed> routed = router.route(command.request().model(), HopKind.CLIENT_REQUEST,
                deployment -> switch (provider.send(deployment, request)) {
                    case ProviderReply.Completed completed -> new Attempt.Succeeded<>(completed);
                    case ProviderReply.Failed failed -> new Attempt.Failed<>(failed.failure());
                });
        return switch (routed) {
            case Routed.Served<ProviderReply.Completed> served -> {
                served.release().run();
                yield new MessagesResult.Answered(served.value().response(), served.deployment().id(),
                        served.attempts(), served.value().headers());
            }
            case Routed.Refused<ProviderReply.Completed> refused -> new MessagesResult.Refused(refused.error());
        };
    }

    @Override
    public MessagesStreamResult stream(MessagesCommand command) {
        ProviderRequest request = new ProviderRequest(command.request(), command.headers());
        Routed<ProviderStream.Opened> routed = router.route(command.request().model(), HopKind.CLIENT_REQUEST,
                deployment -> switch (provider.stream(deployment, request)) {
                    case ProviderStream.Opened opened -> new Attempt.Succeeded<>(opened);
                    case ProviderStream.Failed failed -> new Attempt.Failed<>(failed.failure());
                });
        return switch (routed) {
            case Routed.Served<ProviderStream.Opened> served -> new MessagesStreamResult.Streaming(
                    new Releasing(served.value().events(), served.release()), served.deployment().id(),
                    served.attempts(), served.value().headers());
            case Routed.Refused<ProviderStream.Opened> refused -> new MessagesStreamResult.Refused(refused.error());
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
