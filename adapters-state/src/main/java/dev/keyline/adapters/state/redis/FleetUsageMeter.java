package dev.keyline.adapters.state.redis;

import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.UsageMeter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The usage meter of a fleet replica: the fleet's counts in Redis while Redis is there, this replica's own when it is
 * not. Every call is also counted here, so a replica that loses Redis goes on from its own share of the minute, and
 * its calls in flight are known to put Redis right when it returns (written every sync, with its heartbeat).
 *
 * <p>Only what needs sharing touches Redis: deployments with a limit, and with {@code least-busy} routing the calls
 * in flight of all. Those are read by the router from a snapshot refreshed every sync (this replica's own calls
 * are always current), so picking a deployment never waits on Redis.
 */
public final class FleetUsageMeter implements UsageMeter {

    private final RedisLink link;
    private final RedisUsageMeter shared;
    private final InProcessUsageMeter local;
    private final List<Deployment> deployments;
    private final boolean sharesInFlightOfAll;
    private volatile Map<DeploymentId, Integer> othersInFlight = Map.of();

    /**
     * @param deployments         every deployment the gateway routes to
     * @param sharesInFlightOfAll whether routing reads the fleet's calls in flight ({@code least-busy})
     */
    public FleetUsageMeter(
            RedisLink link,
            RedisUsageMeter shared,
            InProcessUsageMeter local,
            List<Deployment> deployments,
            boolean sharesInFlightOfAll) {
        this.link = Objects.requireNonNull(link, "'link' must not be null");
        this.shared = Objects.requireNonNull(shared, "'shared' must not be null");
        this.local = Objects.requireNonNull(local, "'local' must not be null");
        this.deployments = List.copyOf(deployments);
        this.sharesInFlightOfAll = sharesInFlightOfAll;
        link.whileUp(this::sync);
        link.onReturn(this::sync);
    }

    private boolean shares(Deployment deployment) {
        return sharesInFlightOfAll || deployment.routing().isLimited();
    }

    /** Whether Redis counts this deployment's calls in flight: {@code max_parallel_requests} or least-busy. */
    private boolean sharesInFlight(Deployment deployment) {
        return sharesInFlightOfAll || deployment.routing().maxParallelRequests().isPresent();
    }

    @Override
    public Admission admit(Deployment deployment) {
        if (!shares(deployment)) {
            return local.admit(deployment);
        }
        Optional<Admission> fleet = link.attempt(() -> shared.admit(deployment));
        if (fleet.isEmpty()) {
            return local.admit(deployment);
        }
        return switch (fleet.get()) {
            case Admission.AtLimit limit -> limit;
            case Admission.Admitted admitted -> new Admission.Admitted(both(admitted.leave(), local.enter(deployment)));
        };
    }

    @Override
    public Runnable enter(Deployment deployment) {
        Runnable mine = local.enter(deployment);
        if (!shares(deployment)) {
            return mine;
        }
        return link.attempt(() -> shared.enter(deployment))
                .map(fleet -> both(fleet, mine))
                .orElse(mine);
    }

    /** Ends the fleet's count (when Redis is there to hear it) and this replica's. */
    private Runnable both(Runnable fleet, Runnable mine) {
        return () -> {
            try {
                link.attemptRun(fleet);
            } finally {
                mine.run();
            }
        };
    }

    @Override
    public void addTokens(Deployment deployment, long tokens) {
        local.addTokens(deployment, tokens);
        if (shares(deployment)) {
            link.attemptRun(() -> shared.addTokens(deployment, tokens));
        }
    }

    @Override
    public int inFlight(DeploymentId deployment) {
        int mine = local.inFlight(deployment);
        return link.isUp() ? mine + othersInFlight.getOrDefault(deployment, 0) : mine;
    }

    /** Publishes this replica's heartbeat and calls in flight, and reads the others'. Throws when Redis fails. */
    private void sync() {
        List<Deployment> sharedOnes =
                deployments.stream().filter(this::sharesInFlight).toList();
        shared.publish(sharedOnes.stream()
                .collect(Collectors.toMap(Deployment::id, d -> local.inFlight(d.id()), (a, b) -> a)));
        if (sharesInFlightOfAll) {
            Map<DeploymentId, RedisUsageMeter.InFlight> read =
                    shared.inFlightOf(sharedOnes.stream().map(Deployment::id).toList());
            othersInFlight = read.entrySet().stream()
                    .collect(Collectors.toUnmodifiableMap(
                            Map.Entry::getKey, e -> e.getValue().others()));
        }
    }
}
