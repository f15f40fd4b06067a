package dev.keyline.domain.websearch;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One search to run.
 *
 * @param query          what the model asked for
 * @param allowedDomains results only from these domains (and their subdomains), when not empty
 * @param blockedDomains never results from these
 * @param country        ISO 3166-1 alpha-2 country of the user, when known
 * @param maxResults     the most results wanted
 */
public record SearchRequest(
        String query,
        List<String> allowedDomains,
        List<String> blockedDomains,
        Optional<String> country,
        int maxResults) {
    public SearchRequest {
        Objects.requireNonNull(query, "'query' must not be null");
        if (query.isBlank()) {
            throw new IllegalArgumentException("a search needs a query");
        }
        allowedDomains = List.copyOf(allowedDomains);
        blockedDomains = List.copyOf(blockedDomains);
        Objects.requireNonNull(country, "'country' must not be null");
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1");
        }
    }
}
