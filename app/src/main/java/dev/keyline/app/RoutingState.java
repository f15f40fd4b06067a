package dev.keyline.app;

import dev.keyline.adapters.state.CaffeineCooldownStore;
import dev.keyline.adapters.state.InProcessKeyCounters;
import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.adapters.state.redis.FleetCooldownStore;
import dev.keyline.adapters.state.redis.FleetKeyCounters;
import dev.keyline.adapters.state.redis.FleetUsageMeter;
import dev.keyline.adapters.state.redis.RedisCooldownStore;
import dev.keyline.adapters.state.redis.RedisLink;
import dev.keyline.adapters.state.redis.RedisUsageMeter;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.domain.routing.RoutingStrategy;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.KeyCounters;
import dev.keyline.ports.out.UsageMeter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;

/**
 * The routing state a gateway keeps beyond a request: cooldowns, usage against limits and virtual keys' counters
 * (spend against budgets, rate counts), in this process, or shared
 * through Redis with the rest of a fleet when the configuration names one.
 */
record RoutingState(CooldownStore cooldowns, UsageMeter meter, KeyCounters keyCounters, Optional<RedisLink> link)
        implements AutoCloseable {

    /** How stale a replica's view of the fleet may be: cooldowns started elsewhere, others' calls in flight. */
    static final Duration SYNC_EVERY = Duration.ofMillis(250);

    static RoutingState of(GatewayConfig config, InstantSource clock) {
        CaffeineCooldownStore localCooldowns = new CaffeineCooldownStore(clock);
        InProcessUsageMeter localMeter = new InProcessUsageMeter(clock);
        if (config.redis().isEmpty()) {
            return new RoutingState(localCooldowns, localMeter, new InProcessKeyCounters(clock), Optional.empty());
        }
        RedisLink link = RedisLink.open(config.redis().get(), SYNC_EVERY);
        String replica = ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        boolean leastBusy = config.router().toRules().strategy() == RoutingStrategy.LEAST_BUSY;
        return new RoutingState(
                new FleetCooldownStore(link, new RedisCooldownStore(link, clock), localCooldowns),
                new FleetUsageMeter(
                        link,
                        new RedisUsageMeter(link, clock, replica, leastBusy),
                        localMeter,
                        config.deployments(),
                        leastBusy),
                new FleetKeyCounters(link, clock, replica, new InProcessKeyCounters(clock)),
                Optional.of(link));
    }

    @Override
    public void close() {
        link.ifPresent(RedisLink::close);
    }
}
