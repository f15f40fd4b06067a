package dev.keyline.adapters.state.redis;

import dev.keyline.adapters.state.CaffeineCooldownStore;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.ports.out.CooldownStore;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cooldown store of a fleet replica. Cooldowns are written to this replica's memory and to Redis; the router
 * reads only memory, so routing never waits on Redis. A rest started by another replica reaches this memory as it is
 * announced (Redis pub/sub, about a millisecond), and at the latest with the next sync, which reads the fleet's
 * cooldowns every sync interval: a message lost while the subscriber reconnects costs at most that interval. Failure counts
 * for {@code allowed_fails} are the fleet's while Redis is there. Without Redis the replica runs on its own
 * memory, and when Redis returns it first hands over the rests it started alone. The operators' list
 * ({@code /cooldowns}) is read from Redis directly, so any replica shows every replica's cooldowns.
 */
public final class FleetCooldownStore implements CooldownStore {

    private final RedisLink link;
    private final RedisCooldownStore shared;
    private final CaffeineCooldownStore local;

    public FleetCooldownStore(RedisLink link, RedisCooldownStore shared, CaffeineCooldownStore local) {
        this.link = Objects.requireNonNull(link, "'link' must not be null");
        this.shared = Objects.requireNonNull(shared, "'shared' must not be null");
        this.local = Objects.requireNonNull(local, "'local' must not be null");
        link.whileUp(this::pull);
        link.listen(shared.channel(), news -> local.coolDown(RedisCooldownStore.announced(news)));
        link.onReturn(() -> {
            local.activeCooldowns().forEach(shared::coolDown);
            pull();
        });
    }

    @Override
    public int recordFailure(DeploymentId deployment, FailureClass failureClass) {
        return link.attempt(() -> shared.recordFailure(deployment, failureClass))
                .orElseGet(() -> local.recordFailure(deployment, failureClass));
    }

    @Override
    public void coolDown(Cooldown cooldown) {
        local.coolDown(cooldown);
        link.attemptRun(() -> shared.coolDown(cooldown));
    }

    @Override
    public Optional<Cooldown> activeCooldown(DeploymentId deployment) {
        return local.activeCooldown(deployment);
    }

    @Override
    public List<Cooldown> activeCooldowns() {
        List<Cooldown> mine = local.activeCooldowns();
        return link.attempt(shared::activeCooldowns)
                .map(fleet -> later(fleet, mine))
                .orElse(mine);
    }

    private void pull() {
        shared.activeCooldowns().forEach(local::coolDown);
    }

    private static List<Cooldown> later(List<Cooldown> fleet, List<Cooldown> mine) {
        Map<DeploymentId, Cooldown> byDeployment = new LinkedHashMap<>();
        for (Cooldown cooldown : fleet) {
            byDeployment.put(cooldown.deployment(), cooldown);
        }
        for (Cooldown cooldown : mine) {
            byDeployment.merge(
                    cooldown.deployment(), cooldown, (a, b) -> b.until().isAfter(a.until()) ? b : a);
        }
        return byDeployment.values().stream()
                .sorted(Comparator.comparing(Cooldown::until))
                .toList();
    }
}
