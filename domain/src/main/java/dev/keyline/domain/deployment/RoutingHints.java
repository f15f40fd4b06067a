package dev.keyline.domain.deployment;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a deployment tells the router about itself: its share of traffic ({@code weight}), its priority tier
 * ({@code order}, lowest first), its limits ({@code rpm} requests and {@code tpm} tokens per minute,
 * {@code max_parallel_requests} calls at once; the router sends no call beyond them), and its own cooldown time,
 * which wins over every other ({@code cooldown_time}; zero means this deployment never cools down), and whether it can
 * continue an answer another call broke off ({@link Continuation}), which a stream's rescue asks before it picks it.
 */
public record RoutingHints(
        int weight,
        OptionalInt order,
        OptionalInt rpm,
        OptionalInt tpm,
        OptionalInt maxParallelRequests,
        Optional<Duration> cooldownTime,
        Continuation continuation) {
    public RoutingHints {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, was " + weight);
        }
        requirePositive("order", order);
        requirePositive("rpm", rpm);
        requirePositive("tpm", tpm);
        requirePositive("max_parallel_requests", maxParallelRequests);
        Objects.requireNonNull(cooldownTime, "'cooldownTime' must not be null");
        if (cooldownTime.isPresent() && cooldownTime.get().isNegative()) {
            throw new IllegalArgumentException("cooldown_time must not be negative, was " + cooldownTime.get());
        }
        Objects.requireNonNull(continuation, "'continuation' must not be null");
    }

    /** Hints of a deployment that continues answers by prefill, Anthropic's way. */
    public RoutingHints(
            int weight,
            OptionalInt order,
            OptionalInt rpm,
            OptionalInt tpm,
            OptionalInt maxParallelRequests,
            Optional<Duration> cooldownTime) {
        this(weight, order, rpm, tpm, maxParallelRequests, cooldownTime, Continuation.PREFILL);
    }

    /**
     * @param continuation how the deployment continues a broken answer
     * @return these hints with that
     */
    public RoutingHints withContinuation(Continuation continuation) {
        return new RoutingHints(weight, order, rpm, tpm, maxParallelRequests, cooldownTime, continuation);
    }

    public static RoutingHints defaults() {
        return new RoutingHints(
                1,
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                Optional.empty());
    }

    /**
     * @param order the priority tier
     * @return these hints with that order
     */
    public RoutingHints withOrder(int order) {
        return new RoutingHints(
                weight, OptionalInt.of(order), rpm, tpm, maxParallelRequests, cooldownTime, continuation);
    }

    /**
     * @param weight the share of traffic
     * @return these hints with that weight
     */
    public RoutingHints withWeight(int weight) {
        return new RoutingHints(weight, order, rpm, tpm, maxParallelRequests, cooldownTime, continuation);
    }

    /**
     * @param rpm                 requests per minute, or 0 for none
     * @param tpm                 tokens per minute, or 0 for none
     * @param maxParallelRequests calls at once, or 0 for none
     * @return these hints with those limits
     */
    public RoutingHints withLimits(int rpm, int tpm, int maxParallelRequests) {
        return new RoutingHints(
                weight, order, optional(rpm), optional(tpm), optional(maxParallelRequests), cooldownTime, continuation);
    }

    /** @return whether any of {@code rpm}, {@code tpm} or {@code max_parallel_requests} is set */
    public boolean isLimited() {
        return rpm.isPresent() || tpm.isPresent() || maxParallelRequests.isPresent();
    }

    private static OptionalInt optional(int limit) {
        return limit == 0 ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    private static void requirePositive(String name, OptionalInt value) {
        if (value == null) {
            throw new NullPointerException("'" + name + "' must not be null");
        }
        if (value.isPresent() && value.getAsInt() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value.getAsInt());
        }
    }
}
