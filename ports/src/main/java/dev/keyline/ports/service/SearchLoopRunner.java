package dev.keyline.ports.service;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.websearch.LoopStep;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import java.util.Objects;

/**
 * Drives a web-search loop to its end on the deployment that answered its first hop: runs each round of searches
 * in parallel, and sends every follow-up to that same deployment, with the same protocol headers.
 */
final class SearchLoopRunner {

    /** The end of a loop. */
    sealed interface Outcome {
        record Done(MessageResponse response) implements Outcome {
        }

        record Failed(GatewayError error) implements Outcome {
        }
    }

    private final Router router;
    private final ProviderClient provider;
    private final Searches searches;

    SearchLoopRunner(Router router, ProviderClient provider, Searches searches) {
        this.router = Objects.requireNonNull(router, "'router' must not be null");
        this.provider = Objects.requireNonNull(provider, "'provider' must not be null");
        this.searches = Objects.requireNonNull(searches, "'searches' must not be null");
    }

    /**
     * @param bound   the deployment every hop goes to
     * @param headers the client's protocol headers, sent with every hop
     * @param step    the loop's step after its first answer
     * @return the answer, or the error of a failed follow-up (never the first hop's half answer)
     */
    Outcome finish(Deployment bound, ProtocolHeaders headers, LoopStep step) {
        LoopStep current = step;
        while (true) {
            switch (current) {
                case LoopStep.Finish finish -> {
                    return new Outcome.Done(finish.response());
                }
                case LoopStep.Search search -> current = search.loop().onSearched(searches.runAll(search.searches()));
                case LoopStep.CallModel call -> {
                    Routed<ProviderReply.Completed> reply = router.callBound(bound, HopKind.GATEWAY_FOLLOW_UP,
                            deployment -> switch (provider.send(deployment, new ProviderRequest(call.request(), headers))) {
                                case ProviderReply.Completed completed -> new Attempt.Succeeded<>(completed);
                                case ProviderReply.Failed failed -> new Attempt.Failed<>(failed.failure());
                            });
                    switch (reply) {
                        case Routed.Served<ProviderReply.Completed> served -> {
                            served.release().run();
                            current = call.loop().onAnswer(served.value().response());
                        }
                        case Routed.Refused<ProviderReply.Completed> refused -> {
                            return new Outcome.Failed(refused.error());
                        }
                    }
                }
            }
        }
    }
}
