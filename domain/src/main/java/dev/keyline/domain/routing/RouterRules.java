package dev.keyline.domain.routing;

import java.util.Objects;

/**
 * Everything {@code router_settings} decides, as domain values.
 *
 * @param strategy  how a deployment is picked
 * @param retries   when and how soon a failure is retried
 * @param fallbacks where a request goes when its group cannot serve it
 * @param cooldowns when a failure rests a deployment
 */
public record RouterRules(
        RoutingStrategy strategy, RetryPolicy retries, Fallbacks fallbacks, CooldownPolicy cooldowns) {
    public RouterRules {
        Objects.requireNonNull(strategy, "'strategy' must not be null");
        Objects.requireNonNull(retries, "'retries' must not be null");
        Objects.requireNonNull(fallbacks, "'fallbacks' must not be null");
        Objects.requireNonNull(cooldowns, "'cooldowns' must not be null");
    }

    public static RouterRules defaults() {
        return new RouterRules(
                RoutingStrategy.SIMPLE_SHUFFLE,
                RetryPolicy.withRetries(RetryPolicy.DEFAULT_RETRIES),
                Fallbacks.none(),
                CooldownPolicy.defaults());
    }
}
