package dev.keyline.domain.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import java.util.ArrayList;
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
        if (deployments.size() == 1) { // the common group of one: nothing to choose, nothing to allocate
            Deployment only = deployments.getFirst();
            return cooling.test(only.id()) ? Optional.empty() : Optional.of(only);
        }
        List<Deployment> selectable = new ArrayList<>(deployments.size());
        List<Deployment> untried = new ArrayList<>(deployments.size());
        for (Deployment deployment : deployments) {
            if (!cooling.test(deployment.id())) {
                selectable.add(deployment);
                if (!tried.contains(deployment.id())) {
                    untried.add(deployment);
                }
            }
        }
        if (selectable.isEmpty()) {
            return Optional.empty();
        }
        List<Deployment> tier = lowest(untried.isEmpty() ? selectable : untried, DeploymentSelector::tier);
        return Optional.of(
                switch (strategy) {
                    case SIMPLE_SHUFFLE -> byWeight(tier, random);
                    // Each count read once: a count read twice could change between the two readings.
                    case LEAST_BUSY -> byWeight(lowest(tier, d -> inFlight.applyAsInt(d.id())), random);
                });
    }

    /** @return the candidates whose key is the lowest, in their order */
    private static List<Deployment> lowest(List<Deployment> candidates, ToIntFunction<Deployment> key) {
        if (candidates.size() == 1) {
            return candidates;
        }
        int[] keys = new int[candidates.size()];
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key.applyAsInt(candidates.get(i));
            min = Math.min(min, keys[i]);
        }
        List<Deployment> lowest = new ArrayList<>(candidates.size());
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == min) {
                lowest.add(candidates.get(i));
            }
        }
        return lowest;
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
