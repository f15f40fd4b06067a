package dev.keyline.domain.deployment;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a deployment tells the router about itself: its share of traffic ({@code weight}), its priority tier
 * ({@code order}, lowest first), its advertised limits per minute, and its own cooldown time, which wins over
 * every other ({@code cooldown_time}; zero means this deployment never cools down).
 */
public record RoutingHints(
        int weight, OptionalInt order, OptionalInt rpm, OptionalInt tpm, Optional<Duration> cooldownTime) {
    public RoutingHints {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, was " + weight);
        }
        requirePositive("order", order);
        requirePositive("rpm", rpm);
        requirePositive("tpm", tpm);
        Objects.requireNonNull(cooldownTime, "'cooldownTime' must not be null");
        if (cooldownTime.isPresent() && cooldownTime.get().isNegative()) {
            throw new IllegalArgumentException("cooldown_time must not be negative, was " + cooldownTime.get());
        }
    }

    public static RoutingHints defaults() {
        return new RoutingHints(1, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty());
    }

    /**
     * @param order the priority tier
     * @return these hints with that order
     */
    public RoutingHints withOrder(int order) {
        return new RoutingHints(weight, OptionalInt.of(order), rpm, tpm, cooldownTime);
    }

    /**
     * @param weight the share of traffic
     * @return these hints with that weight
     */
    public RoutingHints withWeight(int weight) {
        return new RoutingHints(weight, order, rpm, tpm, cooldownTime);
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
