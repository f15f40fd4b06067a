package dev.keyline.app.config;

import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.routing.CooldownPolicy;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.Fallbacks;
import dev.keyline.domain.routing.RetryPolicy;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.routing.RoutingStrategy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code router_settings}: how requests are spread over a group's deployments, retried, and moved to fallbacks,
 * and how long an unhealthy deployment rests.
 *
 * @param routingStrategy    one of {@link #STRATEGIES}; {@code simple-shuffle} by default
 * @param numRetries         retries of a retryable failure, 2 by default
 * @param cooldownTime       how long a deployment cools down, 5 s by default
 * @param allowedFails       failures per minute tolerated before a cooldown, when set
 * @param allowedFailsPolicy per-failure-class tolerances ({@code RateLimitErrorAllowedFails: 3}, …)
 * @param fallbacks          {@code group -> [backup groups]}
 * @param contextWindowFallbacks fallbacks when a prompt is too long for a group
 * @param contentPolicyFallbacks fallbacks when a group refuses on content policy
 * @param defaultFallbacks   groups to try when a group has no fallback of its own
 * @param maxFallbacks       most fallback hops per request, 5 by default
 * @param disableCooldowns   turns cooldowns off entirely
 * @param requestDeadline    how long a request may spend on retries and fallbacks before its answer starts, 300 s by
 *                           default ({@code request_deadline}, Keyline's own key)
 * @param streamResume       whether a stream that breaks after part of a text answer is continued by another call
 *                           ({@code stream_resume}, Keyline's own key, on by default)
 */
public record RouterSettings(
        String routingStrategy,
        int numRetries,
        Duration cooldownTime,
        OptionalInt allowedFails,
        Map<String, Integer> allowedFailsPolicy,
        Map<String, List<String>> fallbacks,
        Map<String, List<String>> contextWindowFallbacks,
        Map<String, List<String>> contentPolicyFallbacks,
        List<String> defaultFallbacks,
        int maxFallbacks,
        boolean disableCooldowns,
        Duration requestDeadline,
        boolean streamResume) {

    /** The strategies LiteLLM defines; Keyline implements simple-shuffle and least-busy (see RoutingStrategy). */
    public static final Set<String> STRATEGIES = Set.of(
            "simple-shuffle",
            "least-busy",
            "usage-based-routing",
            "usage-based-routing-v2",
            "latency-based-routing",
            "cost-based-routing");

    public RouterSettings {
        Objects.requireNonNull(routingStrategy, "'routingStrategy' must not be null");
        if (!STRATEGIES.contains(routingStrategy)) {
            throw new IllegalArgumentException("unknown routing strategy " + routingStrategy);
        }
        if (numRetries < 0 || maxFallbacks < 0) {
            throw new IllegalArgumentException("retries and fallbacks cannot be negative");
        }
        Objects.requireNonNull(cooldownTime, "'cooldownTime' must not be null");
        Objects.requireNonNull(allowedFails, "'allowedFails' must not be null");
        allowedFailsPolicy = Map.copyOf(allowedFailsPolicy);
        fallbacks = Map.copyOf(fallbacks);
        contextWindowFallbacks = Map.copyOf(contextWindowFallbacks);
        contentPolicyFallbacks = Map.copyOf(contentPolicyFallbacks);
        defaultFallbacks = List.copyOf(defaultFallbacks);
        Objects.requireNonNull(requestDeadline, "'requestDeadline' must not be null");
    }

    /**
     * @return these settings as the router's rules; a strategy Keyline does not implement routes as
     *         {@code simple-shuffle} (the loader warns about it)
     */
    public RouterRules toRules() {
        Map<FailureClass, Integer> policy = new EnumMap<>(FailureClass.class);
        allowedFailsPolicy.forEach(
                (key, count) -> FailureClass.fromPolicyKey(key).ifPresent(c -> policy.put(c, count)));
        return new RouterRules(
                RoutingStrategy.fromConfigName(routingStrategy).orElse(RoutingStrategy.SIMPLE_SHUFFLE),
                RetryPolicy.withRetries(numRetries),
                new Fallbacks(
                        groups(fallbacks),
                        groups(contextWindowFallbacks),
                        groups(contentPolicyFallbacks),
                        defaultFallbacks.stream().map(ModelGroupName::new).toList(),
                        maxFallbacks),
                new CooldownPolicy(
                        cooldownTime, CooldownPolicy.DEFAULT_MAX_COOLDOWN, allowedFails, policy, disableCooldowns),
                requestDeadline);
    }

    private static Map<ModelGroupName, List<ModelGroupName>> groups(Map<String, List<String>> byName) {
        Map<ModelGroupName, List<ModelGroupName>> result = new LinkedHashMap<>();
        byName.forEach((group, targets) -> result.put(
                new ModelGroupName(group),
                targets.stream().map(ModelGroupName::new).toList()));
        return result;
    }

    public static RouterSettings defaults() {
        return new RouterSettings(
                "simple-shuffle",
                2,
                Duration.ofSeconds(5),
                OptionalInt.empty(),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                List.of(),
                5,
                false,
                RouterRules.DEFAULT_DEADLINE,
                true);
    }
}
