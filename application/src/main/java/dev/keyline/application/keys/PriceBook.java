package dev.keyline.application.keys;

import dev.keyline.domain.keys.TokenPrices;
import dev.keyline.domain.keys.Usd;
import dev.keyline.ports.in.Hop;
import java.util.List;
import java.util.Map;

/**
 * What requests cost: token prices per deployment and the price of one search for the engine each deployment's
 * searches run on. A deployment without prices costs nothing (its tokens are still logged).
 *
 * @param tokens   token prices by deployment id
 * @param searches price per search by deployment id (the engine that runs that deployment's searches)
 */
public record PriceBook(Map<String, TokenPrices> tokens, Map<String, Usd> searches) {

    public static final PriceBook FREE = new PriceBook(Map.of(), Map.of());

    public PriceBook {
        tokens = Map.copyOf(tokens);
        searches = Map.copyOf(searches);
    }

    /**
     * @param hops     every upstream call of a request
     * @param searches searches run for it, priced at the engine of its first call's deployment (a search loop stays
     *                 on one deployment)
     * @return what the request cost
     */
    public Usd cost(List<Hop> hops, int searches) {
        Usd total = Usd.ZERO;
        for (Hop hop : hops) {
            total = total.plus(tokens.getOrDefault(hop.deployment(), TokenPrices.FREE)
                    .cost(hop.inputTokens(), hop.outputTokens(), hop.cacheWriteTokens(), hop.cacheReadTokens()));
        }
        if (searches > 0 && !hops.isEmpty()) {
            total = total.plus(this.searches
                    .getOrDefault(hops.getFirst().deployment(), Usd.ZERO)
                    .times(searches));
        }
        return total;
    }
}
