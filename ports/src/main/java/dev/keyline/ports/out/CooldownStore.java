package dev.keyline.ports.out;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.FailureClass;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing port for routing state that outlives a request: which deployments are cooling down, and how many
 * failures of each class a deployment had in the current window. One instance may be shared by several gateways.
 * Implementations must be safe for concurrent use.
 */
public interface CooldownStore {

    /** How long failures are counted for {@code allowed_fails}: a window opens with the first failure. */
    Duration FAILURE_WINDOW = Duration.ofMinutes(1);

    /**
     * Counts a failure.
     *
     * @param deployment   the deployment that failed; must not be null
     * @param failureClass the failure's class; must not be null
     * @return failures of that class the deployment had in the current window, this one included
     */
    int recordFailure(DeploymentId deployment, FailureClass failureClass);

    /**
     * Rests a deployment. If it already rests until later, the later end is kept.
     *
     * @param cooldown the deployment, its group, the end and the reason; must not be null
     */
    void coolDown(Cooldown cooldown);

    /**
     * @param deployment a deployment; must not be null
     * @return its cooldown, if it is resting now
     */
    Optional<Cooldown> activeCooldown(DeploymentId deployment);

    /** @return every cooldown in force now, soonest end first */
    List<Cooldown> activeCooldowns();
}
