package dev.keyline.application.routing;

import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.out.Upstream;
import java.time.Instant;
import java.util.Objects;

/** The outcome of routing one request. */
public sealed interface Routed<T> {

    /**
     * An upstream served the request; a search loop binds it for every later hop. {@code release} must run once the
     * caller is done with the upstream (at once for an answer, when a stream closes), so in-flight counts stay true.
     * {@code deadline} is the request's: a stream's rescue keeps to it.
     */
    record Served<T>(T value, Upstream upstream, int attempts, Runnable release, Instant deadline)
            implements Routed<T> {
        public Served {
            Objects.requireNonNull(deadline, "'deadline' must not be null");
            Objects.requireNonNull(value, "'value' must not be null");
            Objects.requireNonNull(upstream, "'upstream' must not be null");
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
