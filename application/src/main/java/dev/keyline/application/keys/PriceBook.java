package dev.keyline.application.keys;

import dev.keyline.domain.keys.TokenPrices;
import dev.keyline.domain.keys.Usd;
import dev.keyline.ports.in.Hop;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What requests cost: token prices per deployment and the price of one search. A deployment without prices costs
 * nothing (its tokens are still logged).
 *
 * @param tokens    token prices by deployment id
 * @param perSearch the price of one search on the gateway's engine
 */
public record PriceBook(Map<String, TokenPrices> tokens, Usd perSearch) {

    public static final PriceBook FREE = new PriceBook(Map.of(), Usd.ZERO);

    public PriceBook {
        tokens = Map.copyOf(tokens);
        Objects.requireNonNull(perSearch, "'perSearch' must not be null");
    }

    /**
     * @param hops     every upstream call of a request
     * @param searches searches the gateway ran for it
     * @return what the request cost
     */
    public Usd cost(List<Hop> hops, int searches) {
        Usd total = Usd.ZERO;
        for (Hop hop : hops) {
            total = total.plus(tokens.getOrDefault(hop.deployment(), TokenPrices.FREE)
                    .cost(hop.inputTokens(), hop.outputTokens(), hop.cacheWriteTokens(), hop.cacheReadTokens()));
        }
        return total.plus(perSearch.times(searches));
    }
}
