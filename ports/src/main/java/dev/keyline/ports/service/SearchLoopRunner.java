package dev.keyline.ports.service;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.websearch.DomainFilter;
import dev.keyline.domain.websearch.LoopStep;
import dev.keyline.domain.websearch.SearchError;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives a web-search loop to its end on the deployment that answered its first hop: runs each round of searches
 * in parallel, and sends every follow-up to that same deployment, with the same protocol headers.
 */
final class SearchLoopRunner {

    private static final System.Logger LOG = System.getLogger(SearchLoopRunner.class.getName());

    /** The end of a loop. */
    sealed interface Outcome {
        record Done(MessageResponse response) implements Outcome {
        }

        record Failed(GatewayError error) implements Outcome {
        }
    }

    private final Router router;
    private final ProviderClient provider;
    private final WebSearchInterception interception;

    SearchLoopRunner(Router router, ProviderClient provider, WebSearchInterception interception) {
        this.router = Objects.requireNonNull(router, "'router' must not be null");
        this.provider = Objects.requireNonNull(provider, "'provider' must not be null");
        this.interception = Objects.requireNonNull(interception, "'interception' must not be null");
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
                case LoopStep.Search search -> current = search.loop().onSearched(runAll(search.searches()));
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

    /** Runs the searches of one round at the same time; outcomes come back in the round's order. */
    private List<SearchOutcome> runAll(List<LoopStep.PendingSearch> searches) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SearchOutcome>> running = new ArrayList<>();
            for (LoopStep.PendingSearch search : searches) {
                running.add(search.request().isPresent()
                        ? executor.submit(() -> run(search.request().get()))
                        : java.util.concurrent.CompletableFuture.completedFuture(search.ifNotRun()));
            }
            List<SearchOutcome> outcomes = new ArrayList<>();
            for (Future<SearchOutcome> future : running) {
                outcomes.add(await(future));
            }
            return outcomes;
        }
    }

    private SearchOutcome run(SearchRequest request) {
        SearchOutcome outcome;
        try {
            outcome = interception.engine().search(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the search engine failed: " + e.getClass().getSimpleName());
            outcome = new SearchOutcome.Failed(SearchError.UNAVAILABLE, "the search engine failed");
        }
        return switch (outcome) {
            case SearchOutcome.Found found -> new SearchOutcome.Found(DomainFilter.apply(found.hits(), request));
            case SearchOutcome.Failed failed -> failed;
        };
    }

    private static SearchOutcome await(Future<SearchOutcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SearchOutcome.Failed(SearchError.UNAVAILABLE, "the search was interrupted");
        } catch (ExecutionException e) {
            return new SearchOutcome.Failed(SearchError.UNAVAILABLE, "the search failed");
        }
    }
}
