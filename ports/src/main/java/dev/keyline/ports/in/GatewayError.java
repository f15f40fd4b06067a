package dev.keyline.ports.in;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.keys.KeyRefusal;
import dev.keyline.domain.routing.UsageLimit;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/** Why the gateway did not produce an answer. */
public sealed interface GatewayError {

    /** No model group has the name the client asked for. */
    record UnknownModel(String model) implements GatewayError {
        public UnknownModel {
            Objects.requireNonNull(model, "'model' must not be null");
        }
    }

    /** The deployment that was called failed; the client receives that deployment's own error. */
    record UpstreamFailed(DeploymentId deployment, ProviderFailure failure) implements GatewayError {
        public UpstreamFailed {
            Objects.requireNonNull(deployment, "'deployment' must not be null");
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }

    /**
     * Every deployment of the group was resting and nothing was tried. Only a group of several deployments can get
     * here: a lone deployment is never cooled.
     */
    record AllCoolingDown(ModelGroupName group, Duration retryIn) implements GatewayError {
        public AllCoolingDown {
            Objects.requireNonNull(group, "'group' must not be null");
            Objects.requireNonNull(retryIn, "'retryIn' must not be null");
        }
    }

    /**
     * Every deployment of the group that was not resting was at one of its limits ({@code rpm}, {@code tpm},
     * {@code max_parallel_requests}); nothing was sent.
     *
     * @param group   the group
     * @param retryIn when the first limit frees up
     * @param limits  the limits met, for the message
     */
    record AtLimit(ModelGroupName group, Duration retryIn, Set<UsageLimit> limits) implements GatewayError {
        public AtLimit {
            Objects.requireNonNull(group, "'group' must not be null");
            Objects.requireNonNull(retryIn, "'retryIn' must not be null");
            limits = Set.copyOf(limits);
            if (limits.isEmpty()) {
                throw new IllegalArgumentException("a group at its limits names at least one");
            }
        }
    }

    /** A virtual key may not make this request (revoked, expired, another group, over budget, at a limit). */
    record KeyRefused(KeyRefusal refusal) implements GatewayError {
        public KeyRefused {
            Objects.requireNonNull(refusal, "'refusal' must not be null");
        }
    }
}
