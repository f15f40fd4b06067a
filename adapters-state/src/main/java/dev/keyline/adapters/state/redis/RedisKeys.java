package dev.keyline.adapters.state.redis;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.routing.FailureClass;
import java.util.Objects;

/**
 * The names of a fleet's keys. All carry the prefix in braces, a Redis Cluster hash tag, so the multi-key scripts
 * find them in one slot.
 */
record RedisKeys(String prefix) {

    RedisKeys {
        Objects.requireNonNull(prefix, "'prefix' must not be null");
    }

    private String key(String rest) {
        return "{" + prefix + "}:" + rest;
    }

    String cooldown(DeploymentId deployment) {
        return key("cooldown:" + deployment.value());
    }

    /** The start of {@link #cooldown}'s names, for the listing script. */
    String cooldownStart() {
        return key("cooldown:");
    }

    /** Deployments by the end of their cooldown. */
    String cooldownIndex() {
        return key("cooldowns");
    }

    /** Where a rest is announced as it starts. */
    String cooldownChannel() {
        return key("cooldown-news");
    }

    String failures(DeploymentId deployment, FailureClass failureClass) {
        return key("failures:" + deployment.value() + ":" + failureClass.label());
    }

    String requests(DeploymentId deployment, long minute) {
        return key("rpm:" + deployment.value() + ":" + minute);
    }

    String tokens(DeploymentId deployment, long minute) {
        return key("tpm:" + deployment.value() + ":" + minute);
    }

    /** Calls in flight to a deployment, one field per replica. */
    String inFlight(DeploymentId deployment) {
        return key("inflight:" + deployment.value());
    }

    /** A key's or team's spend in one budget period, in billionths of a dollar. */
    String spend(String owner, long period) {
        return key("spend:" + owner + ":" + period);
    }

    String keyRequests(String owner, long minute) {
        return key("krpm:" + owner + ":" + minute);
    }

    String keyTokens(String owner, long minute) {
        return key("ktpm:" + owner + ":" + minute);
    }

    /** Requests in flight of a key or team, one field per replica. */
    String keyInFlight(String owner) {
        return key("kinflight:" + owner);
    }

    /** A replica's heartbeat: it exists while the replica lives. */
    String replica(String replica) {
        return replicaStart() + replica;
    }

    String replicaStart() {
        return key("replica:");
    }
}
