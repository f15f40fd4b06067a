package dev.keyline.adapters.providers.common;

import dev.keyline.ports.out.ProviderRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** How long a call may wait: the deployment's own limit, or what is left of the request's deadline when sooner. */
public final class CallBudget {

    private CallBudget() {}

    /**
     * @param limit the deployment's limit for this wait ({@code timeout} or {@code stream_timeout})
     * @return the wait, zero when the deadline has passed (read timeouts count whole milliseconds, and 0 would mean
     *         no timeout at all, so less than one is none)
     */
    public static Duration of(Duration limit, ProviderRequest request, InstantSource clock) {
        if (request.answerBy().equals(Instant.MAX)) {
            return limit;
        }
        Duration left = Duration.between(clock.instant(), request.answerBy());
        if (left.toMillis() < 1) {
            return Duration.ZERO;
        }
        return left.compareTo(limit) < 0 ? left : limit;
    }

    public static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
