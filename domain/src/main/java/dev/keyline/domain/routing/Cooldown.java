package dev.keyline.domain.routing;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroupName;
import java.time.Instant;
import java.util.Objects;

/**
 * A deployment resting until a moment, and why. Holds no secret, so it may be listed to operators.
 *
 * @param deployment the cooling deployment
 * @param group      its model group
 * @param until      when it may be selected again
 * @param reason     what happened, e.g. {@code rate_limit (HTTP 429)}
 */
public record Cooldown(DeploymentId deployment, ModelGroupName group, Instant until, String reason) {
    public Cooldown {
        Objects.requireNonNull(deployment, "'deployment' must not be null");
        Objects.requireNonNull(group, "'group' must not be null");
        Objects.requireNonNull(until, "'until' must not be null");
        Objects.requireNonNull(reason, "'reason' must not be null");
    }

    /**
     * @param now the current time
     * @return whether the deployment is still resting at {@code now}
     */
    public boolean isActiveAt(Instant now) {
        return now.isBefore(until);
    }
}
