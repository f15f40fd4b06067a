package dev.keyline.adapters.state;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.UsageMeter;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each deployment's requests and tokens of the current minute and its calls in flight, in this process's memory:
 * the limits of a gateway that shares no state, and what a fleet replica falls back to while Redis is away.
 */
public final class InProcessUsageMeter implements UsageMeter {

    private final InstantSource clock;
    private final ConcurrentHashMap<DeploymentId, MinuteCounts> counts = new ConcurrentHashMap<>();

    public InProcessUsageMeter(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    @Override
    public Admission admit(Deployment deployment) {
        RoutingHints hints = deployment.routing();
        return counts(deployment.id())
                .admit(
                        clock.instant(),
                        hints.rpm().isPresent() ? hints.rpm().getAsInt() : MinuteCounts.NONE,
                        hints.tpm().isPresent() ? hints.tpm().getAsInt() : MinuteCounts.NONE,
                        hints.maxParallelRequests().isPresent()
                                ? hints.maxParallelRequests().getAsInt()
                                : MinuteCounts.NONE);
    }

    @Override
    public Runnable enter(Deployment deployment) {
        return counts(deployment.id()).enter(clock.instant());
    }

    @Override
    public void addTokens(Deployment deployment, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must not be negative, was " + tokens);
        }
        counts(deployment.id()).addTokens(clock.instant(), tokens);
    }

    @Override
    public int inFlight(DeploymentId deployment) {
        MinuteCounts of = counts.get(deployment);
        return of == null ? 0 : of.inFlight();
    }

    private MinuteCounts counts(DeploymentId id) {
        return counts.computeIfAbsent(
                Objects.requireNonNull(id, "'deployment' must not be null"), k -> new MinuteCounts());
    }
}
