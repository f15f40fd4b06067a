package dev.keyline.domain.routing;

import dev.keyline.domain.failure.ProviderFailure;

/** What kind of failure ended a group's attempts, which picks the fallback list to use. */
public enum FallbackTrigger {
    /** The group could not serve: upstream trouble, refused settings, or every deployment cooling. */
    UNAVAILABLE,
    /** The prompt did not fit the group's context window. */
    CONTEXT_WINDOW,
    /** The group's model refused the content. */
    CONTENT_POLICY,
    /** The request itself is invalid; another group would refuse it too. */
    NONE;

    /**
     * @param failure the failure that ended a group's attempts
     * @return the trigger it is
     */
    public static FallbackTrigger of(ProviderFailure failure) {
        return switch (failure) {
            case ProviderFailure.InvalidRequest invalid ->
                switch (RequestRejection.of(invalid.reply())) {
                    case CONTEXT_WINDOW -> CONTEXT_WINDOW;
                    case CONTENT_POLICY -> CONTENT_POLICY;
                    case OTHER -> NONE;
                };
            case ProviderFailure.RequestTooLarge tooLarge -> NONE;
            case ProviderFailure.RateLimited limited -> UNAVAILABLE;
            case ProviderFailure.Overloaded overloaded -> UNAVAILABLE;
            case ProviderFailure.ServerError server -> UNAVAILABLE;
            case ProviderFailure.Unauthorized unauthorized -> UNAVAILABLE;
            case ProviderFailure.PermissionDenied denied -> UNAVAILABLE;
            case ProviderFailure.NotFound notFound -> UNAVAILABLE;
            case ProviderFailure.Timeout timeout -> UNAVAILABLE;
            case ProviderFailure.ConnectionFailed connection -> UNAVAILABLE;
            case ProviderFailure.MalformedReply malformed -> UNAVAILABLE;
        };
    }
}
