package dev.keyline.domain.routing;

import dev.keyline.domain.failure.ProviderFailure;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a failed attempt is retried within its group, and after how long.
 * <ul>
 *   <li>A refused request (400, 413, 422, content policy) is never retried: it would fail again.</li>
 *   <li>A refusal of the deployment's settings (401, 403, 404), an unusable reply or a timeout is retried only on
 *       another deployment, at once: the same silent or slow deployment would keep the client waiting again.</li>
 *   <li>Other upstream trouble (429, 5xx, 529, connection failures) is retried: at once when another
 *       deployment can take it; otherwise after the upstream's {@code Retry-After} if it is no longer than
 *       {@code maxWait} (a longer wait is the client's to make, so the error goes back with its
 *       {@code retry-after}), else after an exponential backoff with jitter.</li>
 * </ul>
 *
 * @param numRetries     retries after the first attempt ({@code num_retries})
 * @param maxWait        the longest {@code Retry-After} the gateway waits out itself
 * @param initialBackoff the first backoff
 * @param maxBackoff     the longest backoff
 */
public record RetryPolicy(int numRetries, Duration maxWait, Duration initialBackoff, Duration maxBackoff) {

    public static final int DEFAULT_RETRIES = 2;

    public RetryPolicy {
        if (numRetries < 0) {
            throw new IllegalArgumentException("num_retries must not be negative");
        }
        Objects.requireNonNull(maxWait, "'maxWait' must not be null");
        Objects.requireNonNull(initialBackoff, "'initialBackoff' must not be null");
        Objects.requireNonNull(maxBackoff, "'maxBackoff' must not be null");
    }

    /**
     * @param numRetries retries after the first attempt
     * @return the policy with the SDK's backoff figures: 0.5 s doubling to 8 s, waits of up to 8 s
     */
    public static RetryPolicy withRetries(int numRetries) {
        return new RetryPolicy(numRetries, Duration.ofSeconds(8), Duration.ofMillis(500), Duration.ofSeconds(8));
    }

    /**
     * @param failure          how the attempt failed
     * @param retriesSoFar     retries already made in this group
     * @param untriedAvailable whether a selectable deployment of the group has not been tried for this request
     * @param jitter           a random number in [0, 1)
     * @return retry (with the delay) or stop (with the reason)
     */
    public RetryDecision decide(ProviderFailure failure, int retriesSoFar, boolean untriedAvailable, double jitter) {
        if (retriesSoFar >= numRetries) {
            return new RetryDecision.Stop("no retries left (num_retries " + numRetries + ")");
        }
        FailureClass failureClass = FailureClass.of(failure);
        return switch (failureClass) {
            case BAD_REQUEST, CONTENT_POLICY -> new RetryDecision.Stop("the request itself was refused");
            case AUTHENTICATION, NOT_FOUND, UNUSABLE_REPLY, TIMEOUT ->
                untriedAvailable
                        ? new RetryDecision.Retry(Duration.ZERO)
                        : new RetryDecision.Stop("no other deployment to try after " + failureClass);
            case RATE_LIMIT, SERVICE_UNAVAILABLE, INTERNAL_SERVER, BAD_GATEWAY, CONNECTION ->
                untriedAvailable ? new RetryDecision.Retry(Duration.ZERO) : waitAndRetry(failure, retriesSoFar, jitter);
        };
    }

    private RetryDecision waitAndRetry(ProviderFailure failure, int retriesSoFar, double jitter) {
        Optional<Duration> asked = CooldownPolicy.retryAfter(failure);
        if (asked.isPresent()) {
            return asked.get().compareTo(maxWait) <= 0
                    ? new RetryDecision.Retry(asked.get())
                    : new RetryDecision.Stop(
                            "the upstream asked to wait " + asked.get().toSeconds() + " s");
        }
        long backoffMs = initialBackoff.toMillis() << Math.min(retriesSoFar, 20);
        double capped = Math.min(backoffMs, maxBackoff.toMillis());
        return new RetryDecision.Retry(Duration.ofMillis(Math.round(capped * (1 - 0.25 * jitter))));
    }
}
