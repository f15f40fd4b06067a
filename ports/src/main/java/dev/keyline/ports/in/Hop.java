package dev.keyline.ports.in;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream call of a request, as its journal holds it once the request is done.
 *
 * @param index             the call's place in the request, from 1
 * @param role              why it was made
 * @param modelGroup        the configured group of the deployment called
 * @param deployment        the configured id of the deployment called
 * @param outcome           {@code ok}, the failure's class, or {@code pending} when no answer came (the client left)
 * @param status            the upstream's HTTP status, 0 when it sent none
 * @param at                when the call was made, counted from the request's arrival
 * @param upstream          how long the upstream took to answer (a stream: to its first event)
 * @param inputTokens       input tokens, cache reads and writes included; 0 when unknown
 * @param outputTokens      output tokens; 0 when unknown
 * @param cacheWriteTokens  of the input tokens, those written to the prompt cache
 * @param cacheReadTokens   of the input tokens, those read from the prompt cache
 * @param searches          searches the gateway ran for this call's answer
 * @param upstreamRequestId the upstream's own {@code request-id}, when it sent one
 */
public record Hop(
        int index,
        HopRole role,
        String modelGroup,
        String deployment,
        String outcome,
        int status,
        Duration at,
        Duration upstream,
        long inputTokens,
        long outputTokens,
        long cacheWriteTokens,
        long cacheReadTokens,
        int searches,
        Optional<String> upstreamRequestId) {
    public Hop {
        if (index < 1) {
            throw new IllegalArgumentException("hops count from 1");
        }
        Objects.requireNonNull(role, "'role' must not be null");
        Objects.requireNonNull(modelGroup, "'modelGroup' must not be null");
        Objects.requireNonNull(deployment, "'deployment' must not be null");
        Objects.requireNonNull(outcome, "'outcome' must not be null");
        Objects.requireNonNull(at, "'at' must not be null");
        Objects.requireNonNull(upstream, "'upstream' must not be null");
        Objects.requireNonNull(upstreamRequestId, "'upstreamRequestId' must not be null");
    }
}
