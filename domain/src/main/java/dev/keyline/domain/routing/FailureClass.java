package dev.keyline.domain.routing;

import dev.keyline.domain.failure.ProviderFailure;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Failures grouped the way {@code allowed_fails_policy} counts them. The policy keys are LiteLLM's
 * ({@code <ExceptionName>AllowedFails}), so an existing policy keeps its meaning.
 */
public enum FailureClass {
    RATE_LIMIT("RateLimitErrorAllowedFails"),
    SERVICE_UNAVAILABLE("ServiceUnavailableErrorAllowedFails"),
    INTERNAL_SERVER("InternalServerErrorAllowedFails"),
    BAD_GATEWAY("BadGatewayErrorAllowedFails"),
    TIMEOUT("TimeoutErrorAllowedFails"),
    CONNECTION("APIConnectionErrorAllowedFails"),
    AUTHENTICATION("AuthenticationErrorAllowedFails"),
    NOT_FOUND("NotFoundErrorAllowedFails"),
    BAD_REQUEST("BadRequestErrorAllowedFails"),
    CONTENT_POLICY("ContentPolicyViolationErrorAllowedFails"),
    UNUSABLE_REPLY("UnusableReplyAllowedFails");

    private final String policyKey;

    FailureClass(String policyKey) {
        this.policyKey = policyKey;
    }

    /** @return this class in lower case ({@code rate_limit}, {@code timeout}, …): its name in metrics, logs and keys */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the key naming this class in {@code allowed_fails_policy} */
    public String policyKey() {
        return policyKey;
    }

    /**
     * @param key an {@code allowed_fails_policy} key
     * @return its class, or empty when the key is unknown
     */
    public static Optional<FailureClass> fromPolicyKey(String key) {
        return Arrays.stream(values()).filter(c -> c.policyKey.equals(key)).findFirst();
    }

    /**
     * @param failure a classified provider failure
     * @return the class it is counted under
     */
    public static FailureClass of(ProviderFailure failure) {
        return switch (failure) {
            case ProviderFailure.RateLimited limited -> RATE_LIMIT;
            case ProviderFailure.Overloaded overloaded -> SERVICE_UNAVAILABLE;
            case ProviderFailure.ServerError server ->
                switch (server.reply().status()) {
                    case 502 -> BAD_GATEWAY;
                    case 503 -> SERVICE_UNAVAILABLE;
                    case 408, 504 -> TIMEOUT;
                    default -> INTERNAL_SERVER;
                };
            case ProviderFailure.Timeout timeout -> TIMEOUT;
            case ProviderFailure.ConnectionFailed connection -> CONNECTION;
            case ProviderFailure.Unauthorized unauthorized -> AUTHENTICATION;
            case ProviderFailure.PermissionDenied denied -> AUTHENTICATION;
            case ProviderFailure.NotFound notFound -> NOT_FOUND;
            case ProviderFailure.InvalidRequest invalid ->
                RequestRejection.of(invalid.reply()) == RequestRejection.CONTENT_POLICY ? CONTENT_POLICY : BAD_REQUEST;
            case ProviderFailure.RequestTooLarge tooLarge -> BAD_REQUEST;
            case ProviderFailure.MalformedReply malformed -> UNUSABLE_REPLY;
        };
    }

    /** @return whether a failure of this class says something about the deployment's health */
    public boolean isHealthSignal() {
        return switch (this) {
            case RATE_LIMIT,
                    SERVICE_UNAVAILABLE,
                    INTERNAL_SERVER,
                    BAD_GATEWAY,
                    TIMEOUT,
                    CONNECTION,
                    AUTHENTICATION,
                    NOT_FOUND -> true;
            case BAD_REQUEST, CONTENT_POLICY, UNUSABLE_REPLY -> false;
        };
    }

    /** @return whether the upstream itself was unwell (as opposed to refusing this deployment's settings) */
    public boolean isTransient() {
        return switch (this) {
            case RATE_LIMIT, SERVICE_UNAVAILABLE, INTERNAL_SERVER, BAD_GATEWAY, TIMEOUT, CONNECTION -> true;
            case AUTHENTICATION, NOT_FOUND, BAD_REQUEST, CONTENT_POLICY, UNUSABLE_REPLY -> false;
        };
    }
}
