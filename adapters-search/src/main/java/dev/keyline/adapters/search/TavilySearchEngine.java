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

/** Tavily ({@code POST /search}, bearer key); domain lists are passed on as {@code include_domains}/{@code exclude_domains}. */
public final class TavilySearchEngine implements SearchEngine {

    public static final URI DEFAULT_BASE = URI.create("https://api.tavily.com");

    private final URI base;
    private final Credentials key;
    private final Map<String, String> params;
    private final JsonSearchCall call;

    public TavilySearchEngine(
            URI base,
            Credentials key,
            Map<String, String> params,
            Duration timeout,
            WebClient http,
            ObjectMapper mapper) {
        this.base = base;
        this.key = key;
        this.params = Map.copyOf(params);
        this.call = new JsonSearchCall(http, mapper, "Tavily", timeout);
    }

    public TavilySearchEngine(URI base, Credentials key, Map<String, String> params, Duration timeout) {
        this(base, key, params, timeout, JsonSearchCall.defaultHttpClient(base), new ObjectMapper());
    }

    @Override
    public SearchOutcome search(SearchRequest request) {
        Map<String, Object> body = new LinkedHashMap<>(params);
        body.put("query", request.query());
        body.put("max_results", Math.min(request.maxResults(), 20));
        if (!request.allowedDomains().isEmpty()) {
            body.put("include_domains", request.allowedDomains());
        }
        if (!request.blockedDomains().isEmpty()) {
            body.put("exclude_domains", request.blockedDomains());
        }
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
                        "content",
                        List.of("published_date"),
                        request.maxResults()),
                "check the Tavily API key");
    }
}
