package dev.keyline.domain.routing;

import dev.keyline.domain.failure.ProviderFailure;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decides whether a failed call cools its deployment down, and until when. The rules, in order:
 * <ol>
 *   <li>Client errors (400, 413, 422, content policy) and unusable replies say nothing about the deployment's
 *       health: never.</li>
 *   <li>A call the gateway built itself counts only when the upstream itself was unwell (429, 5xx, 529,
 *       timeouts, connection failures); a refusal of such a call may be the gateway's mistake.</li>
 *   <li>Never when cooldowns are disabled, and never for the only deployment of a group without fallbacks: its
 *       callers get its own error, not a synthetic "no deployments available". The only deployment of a group
 *       with fallbacks rests only for its own trouble (429, 5xx, timeouts, connection failures), and for at most
 *       {@code cooldown_time}, so it is probed again within seconds; the router still tries it when the fallbacks
 *       fail too, so a rest never refuses a request an upstream could answer.</li>
 *   <li>Otherwise when the failures of that class in the current window exceed what is allowed: the class's entry in
 *       {@code allowed_fails_policy}, else {@code allowed_fails}, else 0 for rate limits, overload and refused
 *       credentials and {@value #DEFAULT_TRANSIENT_ALLOWED_FAILS} for server errors, timeouts and connection
 *       failures.</li>
 * </ol>
 * The rest lasts the deployment's own {@code cooldown_time} if it has one (zero: never cools), else the
 * upstream's {@code Retry-After} (at most {@code maxCooldown}), else {@code defaultCooldown}.
 *
 * @param defaultCooldown    {@code router_settings.cooldown_time}
 * @param maxCooldown        the longest rest a {@code Retry-After} can ask for
 * @param allowedFails       {@code router_settings.allowed_fails}, when set
 * @param allowedFailsPolicy {@code router_settings.allowed_fails_policy}
 * @param disabled           {@code router_settings.disable_cooldowns}
 */
public record CooldownPolicy(
        Duration defaultCooldown,
        Duration maxCooldown,
        OptionalInt allowedFails,
        Map<FailureClass, Integer> allowedFailsPolicy,
        boolean disabled) {

    public static final int DEFAULT_TRANSIENT_ALLOWED_FAILS = 3;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_COOLDOWN = Duration.ofMinutes(5);

    public CooldownPolicy {
        Objects.requireNonNull(defaultCooldown, "'defaultCooldown' must not be null");
        Objects.requireNonNull(maxCooldown, "'maxCooldown' must not be null");
        Objects.requireNonNull(allowedFails, "'allowedFails' must not be null");
        if (defaultCooldown.isNegative() || maxCooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown durations must not be negative");
        }
        if (allowedFails.isPresent() && allowedFails.getAsInt() < 0) {
            throw new IllegalArgumentException("allowed_fails must not be negative");
        }
        allowedFailsPolicy.values().forEach(v -> {
            if (v < 0) {
                throw new IllegalArgumentException("allowed_fails_policy counts must not be negative");
            }
        });
        allowedFailsPolicy = allowedFailsPolicy.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(allowedFailsPolicy));
    }

    public static CooldownPolicy defaults() {
        return new CooldownPolicy(DEFAULT_COOLDOWN, DEFAULT_MAX_COOLDOWN, OptionalInt.empty(), Map.of(), false);
    }

    /**
     * @param report the failed call
     * @return cool (with the cooldown) or stay (with the reason)
     */
    public CooldownDecision decide(FailureReport report) {
        FailureClass failureClass = FailureClass.of(report.failure());
        if (!failureClass.isHealthSignal()) {
            return new CooldownDecision.Stay(failureClass + " is not a health signal");
        }
        if (report.hop() == HopKind.GATEWAY_FOLLOW_UP && !failureClass.isTransient()) {
            return new CooldownDecision.Stay(
                    failureClass + " on a call the gateway built may be the gateway's mistake");
        }
        if (disabled) {
            return new CooldownDecision.Stay("cooldowns are disabled");
        }
        boolean lone = report.groupSize() == 1;
        if (lone && !report.hasFallbacks()) {
            return new CooldownDecision.Stay("a lone deployment is never cooled; its callers get its own error");
        }
        if (lone && !failureClass.isTransient()) {
            return new CooldownDecision.Stay(
                    "a lone deployment rests only for its upstream's own trouble, not " + failureClass);
        }
        Optional<Duration> own = report.deployment().routing().cooldownTime();
        if (own.isPresent() && own.get().isZero()) {
            return new CooldownDecision.Stay("the deployment's cooldown_time is 0");
        }
        int allowed = allowedFor(failureClass);
        if (report.failuresInWindow() <= allowed) {
            return new CooldownDecision.Stay(
                    report.failuresInWindow() + " " + failureClass + " failures, " + allowed + " allowed");
        }
        Duration rest = own.or(() -> retryAfter(report.failure()).map(d -> min(d, maxCooldown)))
                .orElse(defaultCooldown);
        if (lone) {
            // Its fallbacks serve meanwhile; a short rest is a probe every few seconds, so it is back soon after
            // it recovers.
            rest = min(rest, own.orElse(defaultCooldown));
        }
        return new CooldownDecision.Cool(new Cooldown(
                report.deployment().id(),
                report.deployment().group(),
                report.now().plus(rest),
                describe(report.failure())));
    }

    int allowedFor(FailureClass failureClass) {
        Integer fromPolicy = allowedFailsPolicy.get(failureClass);
        if (fromPolicy != null) {
            return fromPolicy;
        }
        if (allowedFails.isPresent()) {
            return allowedFails.getAsInt();
        }
        return switch (failureClass) {
            case INTERNAL_SERVER, BAD_GATEWAY, TIMEOUT, CONNECTION -> DEFAULT_TRANSIENT_ALLOWED_FAILS;
            case RATE_LIMIT,
                    SERVICE_UNAVAILABLE,
                    AUTHENTICATION,
                    NOT_FOUND,
                    BAD_REQUEST,
                    CONTENT_POLICY,
                    UNUSABLE_REPLY -> 0;
        };
    }

    static Optional<Duration> retryAfter(ProviderFailure failure) {
        return switch (failure) {
            case ProviderFailure.RateLimited limited -> limited.retryAfter();
            case ProviderFailure.Overloaded overloaded -> overloaded.retryAfter();
            case ProviderFailure.ServerError server -> Optional.empty();
            case ProviderFailure.Unauthorized unauthorized -> Optional.empty();
            case ProviderFailure.PermissionDenied denied -> Optional.empty();
            case ProviderFailure.NotFound notFound -> Optional.empty();
            case ProviderFailure.RequestTooLarge tooLarge -> Optional.empty();
            case ProviderFailure.InvalidRequest invalid -> Optional.empty();
            case ProviderFailure.Timeout timeout -> Optional.empty();
            case ProviderFailure.ConnectionFailed connection -> Optional.empty();
            case ProviderFailure.MalformedReply malformed -> Optional.empty();
        };
    }

    /** @return a short, secret-free account of the failure, for cooldown listings and logs */
    public static String describe(ProviderFailure failure) {
        return switch (failure) {
            case ProviderFailure.RateLimited limited -> "rate limited (HTTP 429)";
            case ProviderFailure.Overloaded overloaded -> "overloaded (HTTP 529)";
            case ProviderFailure.ServerError server ->
                "server error (HTTP " + server.reply().status() + ")";
            case ProviderFailure.Unauthorized unauthorized -> "key refused (HTTP 401)";
            case ProviderFailure.PermissionDenied denied -> "permission denied (HTTP 403)";
            case ProviderFailure.NotFound notFound -> "not found (HTTP 404)";
            case ProviderFailure.RequestTooLarge tooLarge -> "request too large (HTTP 413)";
            case ProviderFailure.InvalidRequest invalid ->
                "request refused (HTTP " + invalid.reply().status() + ")";
            case ProviderFailure.Timeout timeout ->
                "no answer within " + timeout.after().toMillis() + " ms";
            case ProviderFailure.ConnectionFailed connection -> "connection failed";
            case ProviderFailure.MalformedReply malformed -> "unusable reply (HTTP " + malformed.status() + ")";
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
