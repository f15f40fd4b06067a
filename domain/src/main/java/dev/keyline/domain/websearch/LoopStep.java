package dev.keyline.domain.websearch;

import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the search loop asks its driver to do next. */
public sealed interface LoopStep {

    /** What can follow a round of searches: another model call, or the end (when the loop limit is reached). */
    sealed interface AfterSearches extends LoopStep {}

    /** Call the bound deployment with this request, then hand its answer to {@link AgenticLoop#onAnswer}. */
    record CallModel(AgenticLoop loop, MessagesRequest request) implements AfterSearches {
        public CallModel {
            Objects.requireNonNull(loop, "'loop' must not be null");
            Objects.requireNonNull(request, "'request' must not be null");
        }
    }

    /** Run these searches (in parallel), then hand the outcomes, in the same order, to {@link AgenticLoop#onSearched}. */
    record Search(AgenticLoop loop, List<PendingSearch> searches) implements LoopStep {
        public Search {
            Objects.requireNonNull(loop, "'loop' must not be null");
            searches = List.copyOf(searches);
        }
    }

    /** The answer for the client. */
    record Finish(MessageResponse response) implements AfterSearches {
        public Finish {
            Objects.requireNonNull(response, "'response' must not be null");
        }
    }

    /** A search the model asked for; {@code request} is absent when it cannot run (bad input, budget spent). */
    record PendingSearch(String toolUseId, Optional<SearchRequest> request, SearchOutcome ifNotRun) {
        public PendingSearch {
            Objects.requireNonNull(toolUseId, "'toolUseId' must not be null");
            Objects.requireNonNull(request, "'request' must not be null");
            Objects.requireNonNull(ifNotRun, "'ifNotRun' must not be null");
        }
    }
}
