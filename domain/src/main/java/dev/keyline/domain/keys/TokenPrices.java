package dev.keyline.domain.keys;

import java.util.Objects;

/**
 * What a deployment's tokens cost, per token (LiteLLM's {@code input_cost_per_token}, {@code output_cost_per_token},
 * {@code cache_creation_input_token_cost}, {@code cache_read_input_token_cost}). Cache prices default to the input
 * price when not configured.
 */
public record TokenPrices(Usd input, Usd output, Usd cacheWrite, Usd cacheRead) {

    public static final TokenPrices FREE = new TokenPrices(Usd.ZERO, Usd.ZERO, Usd.ZERO, Usd.ZERO);

    public TokenPrices {
        Objects.requireNonNull(input, "'input' must not be null");
        Objects.requireNonNull(output, "'output' must not be null");
        Objects.requireNonNull(cacheWrite, "'cacheWrite' must not be null");
        Objects.requireNonNull(cacheRead, "'cacheRead' must not be null");
    }

    /**
     * @param input      input tokens, cache writes and reads included
     * @param output     output tokens
     * @param cacheWrite input tokens written to the cache
     * @param cacheRead  input tokens read from the cache
     * @return the cost of one call
     */
    public Usd cost(long input, long output, long cacheWrite, long cacheRead) {
        long plain = Math.max(0, input - cacheWrite - cacheRead);
        return this.input
                .times(plain)
                .plus(this.output.times(output))
                .plus(this.cacheWrite.times(cacheWrite))
                .plus(this.cacheRead.times(cacheRead));
    }
}
