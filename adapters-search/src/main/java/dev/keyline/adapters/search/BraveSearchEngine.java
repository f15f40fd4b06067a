package dev.keyline.adapters.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;
import dev.keyline.ports.out.SearchEngine;
import io.helidon.http.Method;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Brave Search ({@code GET /res/v1/web/search}, {@code X-Subscription-Token}); passes the user's country on. */
public final class BraveSearchEngine implements SearchEngine {

    public static final URI DEFAULT_BASE = URI.create("https://api.search.brave.com");

    private final URI base;
    private final Credentials key;
    private final JsonSearchCall call;

    public BraveSearchEngine(URI base, Credentials key, Duration timeout, WebClient http, ObjectMapper mapper) {
        this.base = base;
        this.key = key;
        this.call = new JsonSearchCall(http, mapper, "Brave", timeout);
    }

    public BraveSearchEngine(URI base, Credentials key, Duration timeout) {
        this(base, key, timeout, JsonSearchCall.defaultHttpClient(base), new ObjectMapper());
    }

    @Override
    public SearchOutcome search(SearchRequest request) {
        String uri = base.toString().replaceAll("/+$", "") + "/res/v1/web/search?q="
                + URLEncoder.encode(request.query(), StandardCharsets.UTF_8) + "&count="
                + Math.min(request.maxResults(), 20)
                + request.country()
                        .map(c -> "&country=" + URLEncoder.encode(c, StandardCharsets.UTF_8))
                        .orElse("");
        Map<String, String> headers =
                key.reveal().map(k -> Map.of("x-subscription-token", k)).orElse(Map.of());
        return call.run(
                Method.GET,
                URI.create(uri),
                headers,
                Optional.empty(),
                json -> JsonSearchCall.hits(
                        json.path("web").get("results"),
                        "title",
                        "url",
                        "description",
                        List.of("page_age", "age"),
                        request.maxResults()),
                "check the Brave subscription token");
    }
}
