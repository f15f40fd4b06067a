package dev.keyline.ports.out;

import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;

/**
 * Outgoing port to a web search engine. Implementations never throw for the engine's trouble: a rate limit is
 * {@code too_many_requests}, anything else that prevents results is {@code unavailable}, and the model carries on.
 */
public interface SearchEngine {

    /**
     * @param request the query, with domain lists (to pass on where the engine supports them), country and
     *                result count; must not be null
     * @return the results, or why there are none
     */
    SearchOutcome search(SearchRequest request);
}
