package dev.keyline.ports.service;

import dev.keyline.domain.failure.ProviderFailure;
import java.util.Objects;

/** The outcome of one call to one deployment, as the {@link Router} sees it. */
public sealed interface Attempt<T> {

    record Succeeded<T>(T value) implements Attempt<T> {
        public Succeeded {
            Objects.requireNonNull(value, "'value' must not be null");
        }
    }

    record Failed<T>(ProviderFailure failure) implements Attempt<T> {
        public Failed {
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }
}
