package dev.keyline.application.messages;

import dev.keyline.domain.websearch.DomainFilter;
import dev.keyline.domain.websearch.LoopStep;
import dev.keyline.domain.websearch.SearchError;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.SearchEngine;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a round of searches at the same time, each on its own virtual thread, and applies the domain lists to
 * what comes back. An engine that throws is a search that is unavailable, never a failed request.
 */
final class Searches {

    private static final System.Logger LOG = System.getLogger(Searches.class.getName());

    private final SearchEngine engine;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    Searches(SearchEngine engine) {
        this.engine = engine;
    }

    /**
     * @param journal hears each search that runs: when, and how it went
     * @return one future per search, in order; searches that cannot run are already complete
     */
    List<Future<SearchOutcome>> start(List<LoopStep.PendingSearch> searches, RequestJournal journal) {
        List<Future<SearchOutcome>> running = new ArrayList<>();
        for (LoopStep.PendingSearch search : searches) {
            running.add(
                    search.request().isPresent()
                            ? executor.submit(() -> {
                                long started = System.nanoTime();
                                SearchOutcome outcome = run(search.request().get());
                                journal.searched(started, System.nanoTime(), outcome.code());
                                return outcome;
                            })
                            : CompletableFuture.completedFuture(search.ifNotRun()));
        }
        return running;
    }

    /** @return every outcome of a round, in its order */
    List<SearchOutcome> runAll(List<LoopStep.PendingSearch> searches, RequestJournal journal) {
        return start(searches, journal).stream().map(Searches::await).toList();
    }

    static SearchOutcome await(Future<SearchOutcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SearchOutcome.Failed(SearchError.UNAVAILABLE, "the search was interrupted");
        } catch (ExecutionException e) {
            return new SearchOutcome.Failed(SearchError.UNAVAILABLE, "the search failed");
        }
    }

    private SearchOutcome run(SearchRequest request) {
        SearchOutcome outcome;
        try {
            outcome = engine.search(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the search engine failed: " + e.getClass().getSimpleName());
            outcome = new SearchOutcome.Failed(SearchError.UNAVAILABLE, "the search engine failed");
        }
        return switch (outcome) {
            case SearchOutcome.Found found -> new SearchOutcome.Found(DomainFilter.apply(found.hits(), request));
            case SearchOutcome.Failed failed -> failed;
        };
    }
}
