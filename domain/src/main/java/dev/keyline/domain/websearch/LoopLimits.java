package dev.keyline.domain.websearch;

import java.util.OptionalInt;

/**
 * How far a search loop may go.
 *
 * @param maxFollowUps the most follow-up model calls after the first ({@code max_agentic_loops}), at least 1
 * @param maxSearches  the most searches for the request (the tool's {@code max_uses}), when set
 * @param maxResults   the most results asked of the engine per search
 */
public record LoopLimits(int maxFollowUps, OptionalInt maxSearches, int maxResults) {
    public LoopLimits {
        if (maxFollowUps < 1) {
            throw new IllegalArgumentException("max_agentic_loops must be at least 1");
        }
        if (maxSearches == null) {
            throw new NullPointerException("'maxSearches' must not be null");
        }
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1");
        }
    }
}
