package dev.keyline.domain.routing;

import java.util.Arrays;
import java.util.Optional;

/** How a deployment is picked among the selectable ones of its priority tier. */
public enum RoutingStrategy {
    /** At random, in proportion to {@code weight}. */
    SIMPLE_SHUFFLE("simple-shuffle"),
    /** The one with the fewest calls in flight; ties at random by weight. */
    LEAST_BUSY("least-busy");

    private final String configName;

    RoutingStrategy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /**
     * @param name a {@code routing_strategy} value
     * @return the strategy, or empty when Keyline does not implement it
     */
    public static Optional<RoutingStrategy> fromConfigName(String name) {
        return Arrays.stream(values()).filter(s -> s.configName.equals(name)).findFirst();
    }
}
