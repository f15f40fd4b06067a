package dev.keyline.application.messages;

import dev.keyline.application.routing.Attempt;
import dev.keyline.application.routing.Routed;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.TokenEstimate;
import dev.keyline.domain.message.ToolDefinition;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.websearch.SearchHistory;
import dev.keyline.domain.websearch.SearchTool;
import dev.keyline.ports.in.CountTokensUseCase;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.TokensResult;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.Upstream;
import java.util.List;
import java.util.Objects;

/**
 * Counts input tokens through the {@link Router}, like a Messages request: at a deployment of the named group, with
 * that deployment's base and key, retried and fallen back as a request is. A deployment whose searches the gateway
 * runs is asked about the request as it would be sent (the search tool as a client tool, search history as tool
 * calls); a deployment without a count of its own gets the gateway's estimate, marked as such.
 */
public final class CountTokensService implements CountTokensUseCase {

    private final Router router;
    private final WebSearchInterception interception;

    public CountTokensService(Router router, WebSearchInterception interception) {
        this.router = Objects.requireNonNull(router, "'router' must not be null");
        this.interception = Objects.requireNonNull(interception, "'interception' must not be null");
    }

    /** A count, and whether it was the gateway's estimate. */
    private record Count(long inputTokens, boolean estimated) {}

    @Override
    public TokensResult count(MessagesCommand command) {
        Routed<Count> routed = router.route(
                command.request().model(),
                HopKind.CLIENT_REQUEST,
                command.journal(),
                upstream -> count(upstream, command));
        return switch (routed) {
            case Routed.Served<Count> served -> {
                served.release().run();
                yield new TokensResult.Counted(
                        served.value().inputTokens(),
                        served.upstream().deployment().id(),
                        served.value().estimated());
            }
            case Routed.Refused<Count> refused -> new TokensResult.Refused(refused.error());
        };
    }

    private Attempt<Count> count(Upstream upstream, MessagesCommand command) {
        MessagesRequest request = asSent(upstream, command.request());
        return switch (upstream.countTokens(new ProviderRequest(request, command.headers()))) {
            case TokenCount.Counted counted -> new Attempt.Succeeded<>(new Count(counted.inputTokens(), false));
            case TokenCount.Unsupported unsupported ->
                new Attempt.Succeeded<>(new Count(TokenEstimate.of(request), true));
            case TokenCount.Failed failed -> new Attempt.Failed<>(failed.failure());
        };
    }

    private MessagesRequest asSent(Upstream upstream, MessagesRequest request) {
        return SearchTool.find(request.tools())
                .filter(tool -> interception.limitFor(upstream.deployment()).isPresent())
                .map(tool -> {
                    List<ToolDefinition> tools = request.tools().stream()
                            .map(t -> tool.is(t) ? tool.asClientTool() : t)
                            .toList();
                    return new MessagesRequest(
                            request.model(),
                            request.maxTokens(),
                            SearchHistory.withClientTools(request.messages(), tool.name()),
                            tools,
                            request.toolChoice(),
                            false,
                            request.extra());
                })
                .orElse(request);
    }
}
