package dev.keyline.domain.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code router_settings} decides, as domain values.
 *
 * @param strategy  how a deployment is picked
 * @param retries   when and how soon a failure is retried
 * @param fallbacks where a request goes when its group cannot serve it
 * @param cooldowns when a failure rests a deployment
 * @param deadline  how long a request may spend on retries and fallbacks before its answer starts (the JSON
 *                  answer, or a stream's first event); no attempt starts after it, and every attempt's wait is cut
 *                  to what is left of it
 */
public record RouterRules(
        RoutingStrategy strategy,
        RetryPolicy retries,
        Fallbacks fallbacks,
        CooldownPolicy cooldowns,
        Duration deadline) {

    /** Well under the usual client timeouts (the Anthropic SDKs and Claude Code wait 10 minutes). */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);

    public RouterRules {
        Objects.requireNonNull(strategy, "'strategy' must not be null");
        Objects.requireNonNull(retries, "'retries' must not be null");
        Objects.requireNonNull(fallbacks, "'fallbacks' must not be null");
        Objects.requireNonNull(cooldowns, "'cooldowns' must not be null");
        Objects.requireNonNull(deadline, "'deadline' must not be null");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the request deadline must be positive, was " + deadline);
        }
    }

    public static RouterRules defaults() {
        return new RouterRules(
                RoutingStrategy.SIMPLE_SHUFFLE,
                RetryPolicy.withRetries(RetryPolicy.DEFAULT_RETRIES),
                Fallbacks.none(),
                CooldownPolicy.defaults(),
                DEFAULT_DEADLINE);
    }
}
