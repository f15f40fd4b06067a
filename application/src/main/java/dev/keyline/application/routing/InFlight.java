package dev.keyline.application.routing;

import dev.keyline.domain.deployment.DeploymentId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Calls in flight per deployment, for {@code least-busy} routing. */
final class InFlight {

    private final ConcurrentHashMap<DeploymentId, AtomicInteger> counts = new ConcurrentHashMap<>();

    int count(DeploymentId deployment) {
        AtomicInteger count = counts.get(deployment);
        return count == null ? 0 : count.get();
    }

    /** @return the action that ends this call's count; running it more than once has no further effect */
    Runnable enter(DeploymentId deployment) {
        AtomicInteger count = counts.computeIfAbsent(deployment, id -> new AtomicInteger());
        count.incrementAndGet();
        AtomicBoolean left = new AtomicBoolean();
        return () -> {
            if (left.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        };
    }
}
