package dev.keyline.application.messages;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.websearch.SearchError;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.ports.out.SearchEngine;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Which deployments get their web searches run by the gateway, how many follow-ups each allows, and the engine.
 *
 * @param engine          the search engine
 * @param maxFollowUps    intercepted deployments and their {@code max_agentic_loops}
 * @param resultsPerQuery how many results to ask for per search
 */
public record WebSearchInterception(SearchEngine engine, Map<DeploymentId, Integer> maxFollowUps, int resultsPerQuery) {
    public WebSearchInterception {
        Objects.requireNonNull(engine, "'engine' must not be null");
        maxFollowUps = Map.copyOf(maxFollowUps);
        maxFollowUps.values().forEach(v -> {
            if (v < 1) {
                throw new IllegalArgumentException("max_agentic_loops must be at least 1");
            }
        });
        if (resultsPerQuery < 1) {
            throw new IllegalArgumentException("resultsPerQuery must be at least 1");
        }
    }

    /** @return interception for no deployment */
    public static WebSearchInterception off() {
        return new WebSearchInterception(
                request -> new SearchOutcome.Failed(SearchError.UNAVAILABLE, "web search is not configured"),
                Map.of(),
                5);
    }

    /** @return the deployment's follow-up limit when the gateway runs its searches, else empty */
    public OptionalInt limitFor(Deployment deployment) {
        Integer limit = maxFollowUps.get(deployment.id());
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }
}
