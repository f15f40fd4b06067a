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

/** Exa ({@code POST /search}, {@code x-api-key}); asks for text so each hit has an excerpt. */
public final class ExaSearchEngine implements SearchEngine {

    public static final URI DEFAULT_BASE = URI.create("https://api.exa.ai");

    private final URI base;
    private final Credentials key;
    private final JsonSearchCall call;

    public ExaSearchEngine(URI base, Credentials key, Duration timeout, WebClient http, ObjectMapper mapper) {
        this.base = base;
        this.key = key;
        this.call = new JsonSearchCall(http, mapper, "Exa", timeout);
    }

    public ExaSearchEngine(URI base, Credentials key, Duration timeout) {
        this(base, key, timeout, JsonSearchCall.defaultHttpClient(base), new ObjectMapper());
    }

    @Override
    public SearchOutcome search(SearchRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", request.query());
        body.put("numResults", request.maxResults());
        body.put("contents", Map.of("text", Map.of("maxCharacters", 1000)));
        if (!request.allowedDomains().isEmpty()) {
            body.put("includeDomains", request.allowedDomains());
        }
        if (!request.blockedDomains().isEmpty()) {
            body.put("excludeDomains", request.blockedDomains());
        }
        Map<String, String> headers =
                key.reveal().map(k -> Map.of("x-api-key", k)).orElse(Map.of());
        return call.run(
                Method.POST,
                URI.create(base.toString().replaceAll("/+$", "") + "/search"),
                headers,
                Optional.of(body),
                json -> JsonSearchCall.hits(
                        json.get("results"), "title", "url", "text", List.of("publishedDate"), request.maxResults()),
                "check the Exa API key");
    }
}
