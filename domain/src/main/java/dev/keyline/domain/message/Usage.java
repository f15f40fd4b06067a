package dev.keyline.domain.message;

import java.util.Objects;

/**
 * Token and server-tool counts of one response. {@link #plus} sums hops, so a multi-hop answer reports what every
 * hop cost.
 *
 * @param extra any other usage members the upstream reported (service tier, cache breakdown, …)
 */
public record Usage(
        long inputTokens,
        long outputTokens,
        long cacheCreationInputTokens,
        long cacheReadInputTokens,
        long webSearchRequests,
        long webFetchRequests,
        RawJson extra) {
    public Usage {
        requireNotNegative(inputTokens, "input_tokens");
        requireNotNegative(outputTokens, "output_tokens");
        requireNotNegative(cacheCreationInputTokens, "cache_creation_input_tokens");
        requireNotNegative(cacheReadInputTokens, "cache_read_input_tokens");
        requireNotNegative(webSearchRequests, "web_search_requests");
        requireNotNegative(webFetchRequests, "web_fetch_requests");
        Objects.requireNonNull(extra, "'extra' must not be null");
    }

    public static Usage zero() {
        return new Usage(0, 0, 0, 0, 0, 0, RawJson.empty());
    }

    /**
     * @param other the usage of another hop
     * @return the sum of the counts; the other members are this one's
     */
    public Usage plus(Usage other) {
        return new Usage(
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                cacheCreationInputTokens + other.cacheCreationInputTokens,
                cacheReadInputTokens + other.cacheReadInputTokens,
                webSearchRequests + other.webSearchRequests,
                webFetchRequests + other.webFetchRequests,
                extra);
    }

    private static void requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
