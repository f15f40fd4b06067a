package dev.keyline.domain.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * Picks the deployment for an attempt. Cooling deployments are never picked. Deployments not yet tried for this
 * request come first; among those, only the lowest {@code order} present is considered (a higher tier serves only
 * while every deployment of the lower ones is cooling or already tried); the strategy picks within that tier.
 */
public final class DeploymentSelector {

    private DeploymentSelector() {}

    /**
     * @param strategy    how to pick within the tier
     * @param deployments the group's deployments
     * @param cooling     which deployments are cooling now
     * @param tried       deployments already tried for this request
     * @param inFlight    calls in flight per deployment
     * @param random      the random source
     * @return the deployment, or empty when every one is cooling
     */
    public static Optional<Deployment> select(
            RoutingStrategy strategy,
            List<Deployment> deployments,
            Predicate<DeploymentId> cooling,
            Set<DeploymentId> tried,
            ToIntFunction<DeploymentId> inFlight,
            RandomGenerator random) {
        List<Deployment> selectable =
                deployments.stream().filter(d -> !cooling.test(d.id())).toList();
        if (selectable.isEmpty()) {
            return Optional.empty();
        }
        List<Deployment> untried =
                selectable.stream().filter(d -> !tried.contains(d.id())).toList();
        List<Deployment> pool = untried.isEmpty() ? selectable : untried;
        int topTier = pool.stream().mapToInt(DeploymentSelector::tier).min().orElseThrow();
        List<Deployment> tier = pool.stream().filter(d -> tier(d) == topTier).toList();
        return Optional.of(
                switch (strategy) {
                    case SIMPLE_SHUFFLE -> byWeight(tier, random);
                    case LEAST_BUSY -> {
                        int fewest = tier.stream()
                                .mapToInt(d -> inFlight.applyAsInt(d.id()))
                                .min()
                                .orElseThrow();
                        yield byWeight(
                                tier.stream()
                                        .filter(d -> inFlight.applyAsInt(d.id()) == fewest)
                                        .toList(),
                                random);
                    }
                });
    }

    /** @return whether {@link #select} would find a deployment that is neither cooling nor tried */
    public static boolean hasUntried(
            List<Deployment> deployments, Predicate<DeploymentId> cooling, Set<DeploymentId> tried) {
        return deployments.stream().anyMatch(d -> !cooling.test(d.id()) && !tried.contains(d.id()));
    }

    private static int tier(Deployment deployment) {
        return deployment.routing().order().orElse(Integer.MAX_VALUE);
    }

    private static Deployment byWeight(List<Deployment> candidates, RandomGenerator random) {
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        int total = candidates.stream().mapToInt(d -> d.routing().weight()).sum();
        int ticket = random.nextInt(total);
        for (Deployment candidate : candidates) {
            ticket -= candidate.routing().weight();
            if (ticket < 0) {
                return candidate;
            }
        }
        return candidates.stream()
                .max(Comparator.comparingInt(d -> d.routing().weight()))
                .orElseThrow();
    }
}
