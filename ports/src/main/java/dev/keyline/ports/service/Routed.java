package dev.keyline.ports.service;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.in.GatewayError;
import java.util.Objects;

/** The outcome of routing one request. */
public sealed interface Routed<T> {

    /**
     * A deployment served the request. {@code release} must run once the caller is done with the deployment (at
     * once for an answer, when a stream closes), so in-flight counts stay true.
     */
    record Served<T>(T value, Deployment deployment, int attempts, Runnable release) implements Routed<T> {
        public Served {
            Objects.requireNonNull(value, "'value' must not be null");
            Objects.requireNonNull(deployment, "'deployment' must not be null");
            Objects.requireNonNull(release, "'release' must not be null");
        }
    }

    /** No deployment served it. */
    record Refused<T>(GatewayError error) implements Routed<T> {
        public Refused {
            Objects.requireNonNull(error, "'error' must not be null");
        }
    }
}
