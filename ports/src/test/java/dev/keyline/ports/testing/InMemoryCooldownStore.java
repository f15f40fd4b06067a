package dev.keyline.ports.testing;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.ports.out.CooldownStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A plain-map {@link CooldownStore} for service tests; it passes the same contract as the real store. */
public final class InMemoryCooldownStore implements CooldownStore {

    private record Window(Instant opened, int count) {}

    private final InstantSource clock;
    private final Map<DeploymentId, Cooldown> cooldowns = new ConcurrentHashMap<>();
    private final Map<String, Window> failures = new ConcurrentHashMap<>();

    public InMemoryCooldownStore(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public int recordFailure(DeploymentId deployment, FailureClass failureClass) {
        Instant now = clock.instant();
        return failures.compute(
                        deployment.value() + ":" + failureClass,
                        (key, window) ->
                                window == null || !now.isBefore(window.opened().plus(FAILURE_WINDOW))
                                        ? new Window(now, 1)
                                        : new Window(window.opened(), window.count() + 1))
                .count();
    }

    @Override
    public void coolDown(Cooldown cooldown) {
        cooldowns.merge(
                cooldown.deployment(),
                cooldown,
                (old, fresh) -> old.isActiveAt(clock.instant()) && old.until().isAfter(fresh.until()) ? old : fresh);
    }

    @Override
    public Optional<Cooldown> activeCooldown(DeploymentId deployment) {
        return Optional.ofNullable(cooldowns.get(deployment)).filter(c -> c.isActiveAt(clock.instant()));
    }

    @Override
    public List<Cooldown> activeCooldowns() {
        Instant now = clock.instant();
        return cooldowns.values().stream()
                .filter(c -> c.isActiveAt(now))
                .sorted(Comparator.comparing(Cooldown::until))
                .toList();
    }
}
