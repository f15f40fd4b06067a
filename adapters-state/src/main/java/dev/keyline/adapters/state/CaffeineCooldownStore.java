package dev.keyline.adapters.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.ports.out.CooldownStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Cooldowns and failure windows in this process's memory. Each cooldown expires at its own end, each failure
 * window a minute after its first failure; time comes from the clock given, so tests move it by hand. For a fleet of
 * gateways sharing state, a store on a shared service (Redis) implements the same port.
 */
public final class CaffeineCooldownStore implements CooldownStore {

    private record FailureKey(DeploymentId deployment, FailureClass failureClass) {}

    private final InstantSource clock;
    private final Cache<DeploymentId, Cooldown> cooldowns;
    private final Cache<FailureKey, Integer> failures;

    public CaffeineCooldownStore(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        Ticker ticker = () -> nanos(clock.instant());
        this.cooldowns = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(Runnable::run)
                .expireAfter(new UntilItsEnd())
                .build();
        this.failures = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(Runnable::run)
                .expireAfter(new FromTheFirstFailure())
                .build();
    }

    @Override
    public int recordFailure(DeploymentId deployment, FailureClass failureClass) {
        return failures.asMap().merge(new FailureKey(deployment, failureClass), 1, Integer::sum);
    }

    @Override
    public void coolDown(Cooldown cooldown) {
        Objects.requireNonNull(cooldown, "'cooldown' must not be null");
        cooldowns
                .asMap()
                .merge(
                        cooldown.deployment(),
                        cooldown,
                        (current, fresh) -> fresh.until().isAfter(current.until()) ? fresh : current);
    }

    @Override
    public Optional<Cooldown> activeCooldown(DeploymentId deployment) {
        return Optional.ofNullable(cooldowns.getIfPresent(deployment)).filter(c -> c.isActiveAt(clock.instant()));
    }

    @Override
    public List<Cooldown> activeCooldowns() {
        Instant now = clock.instant();
        return cooldowns.asMap().values().stream()
                .filter(c -> c.isActiveAt(now))
                .sorted(Comparator.comparing(Cooldown::until))
                .toList();
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /** A cooldown lives until its end; a later, longer cooldown replaces it with its own end. */
    private final class UntilItsEnd implements Expiry<DeploymentId, Cooldown> {
        @Override
        public long expireAfterCreate(DeploymentId key, Cooldown value, long currentTime) {
            return Math.max(0, nanos(value.until()) - currentTime);
        }

        @Override
        public long expireAfterUpdate(DeploymentId key, Cooldown value, long currentTime, long currentDuration) {
            return Math.max(0, nanos(value.until()) - currentTime);
        }

        @Override
        public long expireAfterRead(DeploymentId key, Cooldown value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /** A failure window closes a fixed time after its first failure; later failures do not extend it. */
    private static final class FromTheFirstFailure implements Expiry<FailureKey, Integer> {
        private static final long WINDOW_NANOS = FAILURE_WINDOW.toNanos();

        @Override
        public long expireAfterCreate(FailureKey key, Integer value, long currentTime) {
            return WINDOW_NANOS;
        }

        @Override
        public long expireAfterUpdate(FailureKey key, Integer value, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(FailureKey key, Integer value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
