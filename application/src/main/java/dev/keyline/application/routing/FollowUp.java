package dev.keyline.application.routing;

import dev.keyline.domain.failure.ProviderFailure;
import java.util.Objects;

/**
 * The outcome of a follow-up on a bound upstream: it served, or it failed with its own error. Nothing else can
 * happen to a bound call: it never looks up a model group or a cooldown.
 */
public sealed interface FollowUp<T> {

    /** The bound upstream answered; {@code release} must run once the caller is done with it. */
    record Served<T>(T value, Runnable release) implements FollowUp<T> {
        public Served {
            Objects.requireNonNull(value, "'value' must not be null");
            Objects.requireNonNull(release, "'release' must not be null");
        }
    }

    /** The bound upstream failed, after the retries the policy allowed. */
    record Failed<T>(ProviderFailure failure) implements FollowUp<T> {
        public Failed {
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }
}
