package dev.keyline.domain.deployment;

import java.util.OptionalInt;

/**
 * What a deployment tells the router about itself: its share of traffic ({@code weight}), its priority tier
 * ({@code order}, lowest first) and its advertised limits per minute.
 */
public record RoutingHints(int weight, OptionalInt order, OptionalInt rpm, OptionalInt tpm) {
    public RoutingHints {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, was " + weight);
        }
        requirePositive("order", order);
        requirePositive("rpm", rpm);
        requirePositive("tpm", tpm);
    }

    public static RoutingHints defaults() {
        return new RoutingHints(1, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
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
