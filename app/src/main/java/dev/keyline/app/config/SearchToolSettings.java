package dev.keyline.app.config;

import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.keys.Usd;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code search_tools}: a named search engine with its own key and address.
 *
 * @param name     {@code search_tool_name}
 * @param provider {@code litellm_params.search_provider}, one {@link SearchProvider} names
 * @param apiKey   its key, or none
 * @param apiBase  its address, when not the provider's default
 * @param timeout  how long a search may take
 * @param params   every other {@code litellm_params} member, passed to the engine
 * @param pricePerQuery what one search costs ({@code input_cost_per_query}), charged to the key that caused it
 */
public record SearchToolSettings(
        String name,
        String provider,
        Credentials apiKey,
        Optional<String> apiBase,
        Duration timeout,
        Map<String, String> params,
        Usd pricePerQuery) {

    public SearchToolSettings {
        Objects.requireNonNull(name, "'name' must not be null");
        if (SearchProvider.named(provider).isEmpty()) {
            throw new IllegalArgumentException("unknown search provider " + provider);
        }
        Objects.requireNonNull(apiKey, "'apiKey' must not be null");
        Objects.requireNonNull(apiBase, "'apiBase' must not be null");
        Objects.requireNonNull(timeout, "'timeout' must not be null");
        params = Map.copyOf(params);
        Objects.requireNonNull(pricePerQuery, "'pricePerQuery' must not be null");
    }

    /** @return the engine {@link #provider()} names */
    public SearchProvider engine() {
        return SearchProvider.named(provider).orElseThrow();
    }

    @Override
    public String toString() {
        return "SearchToolSettings[" + name + ", " + provider + ", " + apiKey + ", params=" + params.keySet() + "]";
    }
}
