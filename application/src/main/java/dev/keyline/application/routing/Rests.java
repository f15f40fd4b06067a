package dev.keyline.application.routing;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.CooldownPolicy;
import dev.keyline.ports.out.CooldownStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Predicate;

/** Which deployments rest now, read from the cooldown store (shared by a fleet when it is). */
final class Rests {

    private final CooldownStore cooldowns;
    private final InstantSource clock;

    Rests(CooldownStore cooldowns, InstantSource clock) {
        this.cooldowns = cooldowns;
        this.clock = clock;
    }

    /** @return whether a deployment rests at this moment */
    Predicate<DeploymentId> now() {
        Instant now = clock.instant();
        return id -> cooldowns.activeCooldown(id).filter(c -> c.isActiveAt(now)).isPresent();
    }

    boolean all(ModelGroup group) {
        Predicate<DeploymentId> resting = now();
        return group.deployments().stream().allMatch(d -> resting.test(d.id()));
    }

    /** @return whether the group is one deployment, resting now (see {@link CooldownPolicy}) */
    boolean lone(ModelGroup group) {
        return group.deployments().size() == 1 && all(group);
    }

    /** @return how long until the group's first rest ends (zero when none does) */
    Duration soonestEnd(ModelGroup group) {
        Instant now = clock.instant();
        return group.deployments().stream()
                .map(d -> cooldowns.activeCooldown(d.id()))
                .flatMap(Optional::stream)
                .map(Cooldown::until)
                .min(Instant::compareTo)
                .map(until -> Duration.between(now, until))
                .filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
    }
}
