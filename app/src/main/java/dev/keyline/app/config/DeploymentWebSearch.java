package dev.keyline.app.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A deployment's own web-search settings: an explicit opt-in or opt-out ({@code websearch_interception}, a Keyline
 * extension) and its {@code max_agentic_loops}, which wins over the feature-level value.
 */
public record DeploymentWebSearch(Optional<Boolean> intercept, OptionalInt maxAgenticLoops) {
    public DeploymentWebSearch {
        Objects.requireNonNull(intercept, "'intercept' must not be null");
        Objects.requireNonNull(maxAgenticLoops, "'maxAgenticLoops' must not be null");
    }

    public static DeploymentWebSearch unset() {
        return new DeploymentWebSearch(Optional.empty(), OptionalInt.empty());
    }
}
