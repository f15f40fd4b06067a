package dev.keyline.adapters.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;
import dev.keyline.ports.out.SearchEngine;
import io.helidon.http.Method;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Perplexity's Search API ({@code POST /search}, bearer key); domains go in {@code search_domain_filter}. */
public final class PerplexitySearchEngine implements SearchEngine {

    public static final URI DEFAULT_BASE = URI.create("https://api.perplexity.ai");

    private final URI base;
    private final Credentials key;
    private final JsonSearchCall call;

    public PerplexitySearchEngine(URI base, Credentials key, Duration timeout, WebClient http, ObjectMapper mapper) {
        this.base = base;
        this.key = key;
        this.call = new JsonSearchCall(http, mapper, "Perplexity", timeout);
    }

    public PerplexitySearchEngine(URI base, Credentials key, Duration timeout) {
        this(base, key, timeout, JsonSearchCall.defaultHttpClient(base), new ObjectMapper());
    }

    @Override
    public SearchOutcome search(SearchRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", request.query());
        body.put("max_results", Math.min(request.maxResults(), 20));
        List<String> domains = !request.allowedDomains().isEmpty()
                ? request.allowedDomains()
                : request.blockedDomains().stream().map(d -> "-" + d).toList();
        if (!domains.isEmpty()) {
            body.put("search_domain_filter", domains.subList(0, Math.min(domains.size(), 20)));
        }
        request.country().ifPresent(country -> body.put("country", country));
        Map<String, String> headers =
                key.reveal().map(k -> Map.of("authorization", "Bearer " + k)).orElse(Map.of());
        return call.run(
                Method.POST,
                URI.create(base.toString().replaceAll("/+$", "") + "/search"),
                headers,
                Optional.of(body),
                json -> JsonSearchCall.hits(
                        json.get("results"),
                        "title",
                        "url",
                        "snippet",
                        List.of("date", "last_updated"),
                        request.maxResults()),
                "check the Perplexity API key");
    }
}
