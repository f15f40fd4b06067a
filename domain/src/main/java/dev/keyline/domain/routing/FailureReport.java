package dev.keyline.domain.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import java.time.Instant;
import java.util.Objects;

/**
 * What the cooldown policy is told about one failed call.
 *
 * @param deployment       the deployment that was called
 * @param failure          how it failed
 * @param hop              who built the call
 * @param groupSize        how many deployments its model group has
 * @param hasFallbacks     whether the group has fallback groups to serve its requests while it rests
 * @param failuresInWindow failures of this class the deployment had in the current window, this one included
 * @param now              the current time
 */
public record FailureReport(
        Deployment deployment,
        ProviderFailure failure,
        HopKind hop,
        int groupSize,
        boolean hasFallbacks,
        int failuresInWindow,
        Instant now) {
    public FailureReport {
        Objects.requireNonNull(deployment, "'deployment' must not be null");
        Objects.requireNonNull(failure, "'failure' must not be null");
        Objects.requireNonNull(hop, "'hop' must not be null");
        Objects.requireNonNull(now, "'now' must not be null");
        if (groupSize < 1) {
            throw new IllegalArgumentException("a group has at least one deployment, not " + groupSize);
        }
        if (failuresInWindow < 0) {
            throw new IllegalArgumentException("failuresInWindow must not be negative");
        }
    }
}
