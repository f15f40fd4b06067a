package dev.keyline.domain.keys;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One request's line in the spend log: who made it, what it used and what it cost, every hop and search included.
 *
 * @param id           this entry's own unique id (a request id may be the client's, so repeat), which makes a
 *                     batch written twice count once
 * @param requestId    the gateway's request id
 * @param key          the key's hash, or empty for a request with the master key
 * @param keyAlias     the key's label at the time
 * @param teamId       its team
 * @param modelGroup   the group asked for
 * @param deployment   the deployment that answered, or {@code none}
 * @param inputTokens  input tokens over every hop, cache included
 * @param outputTokens output tokens over every hop
 * @param searches     searches the gateway ran
 * @param cost         what it cost
 * @param status       the HTTP status the client got
 * @param at           when it ended
 */
public record SpendEntry(
        String id,
        String requestId,
        Optional<KeyHash> key,
        String keyAlias,
        Optional<String> teamId,
        String modelGroup,
        String deployment,
        long inputTokens,
        long outputTokens,
        int searches,
        Usd cost,
        int status,
        Instant at) {
    public SpendEntry {
        Objects.requireNonNull(id, "'id' must not be null");
        Objects.requireNonNull(requestId, "'requestId' must not be null");
        Objects.requireNonNull(key, "'key' must not be null");
        Objects.requireNonNull(keyAlias, "'keyAlias' must not be null");
        Objects.requireNonNull(teamId, "'teamId' must not be null");
        Objects.requireNonNull(modelGroup, "'modelGroup' must not be null");
        Objects.requireNonNull(deployment, "'deployment' must not be null");
        Objects.requireNonNull(cost, "'cost' must not be null");
        Objects.requireNonNull(at, "'at' must not be null");
        if (inputTokens < 0 || outputTokens < 0 || searches < 0) {
            throw new IllegalArgumentException("token and search counts must not be negative");
        }
    }
}
