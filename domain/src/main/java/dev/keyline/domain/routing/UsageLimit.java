package dev.keyline.domain.routing;

/** A deployment's limits the router keeps to ({@link dev.keyline.domain.deployment.RoutingHints}). */
public enum UsageLimit {
    /** Requests per minute ({@code rpm}). */
    REQUESTS_PER_MINUTE("rpm"),
    /** Tokens per minute ({@code tpm}), counted from the usage of finished calls. */
    TOKENS_PER_MINUTE("tpm"),
    /** Calls at once ({@code max_parallel_requests}). */
    PARALLEL_REQUESTS("max_parallel_requests");

    private final String configName;

    UsageLimit(String configName) {
        this.configName = configName;
    }

    /** @return the key that sets it in a deployment's {@code litellm_params} */
    public String configName() {
        return configName;
    }
}
