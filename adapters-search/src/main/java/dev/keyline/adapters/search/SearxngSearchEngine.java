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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A self-hosted SearXNG instance ({@code GET /search?q=…&format=json}). The JSON format must be enabled in the
 * instance's {@code settings.yml} ({@code search.formats}); otherwise SearXNG answers 403, which is logged as such.
 */
public final class SearxngSearchEngine implements SearchEngine {

    private final URI base;
    private final Credentials key;
    private final Map<String, String> params;
    private final JsonSearchCall call;

    /**
     * @param base    the instance's address, e.g. {@code http://127.0.0.1:8888}
     * @param key     a bearer token when the instance sits behind one, else none
     * @param params  extra query parameters ({@code categories}, {@code language}, {@code engines}, …)
     * @param timeout how long a search may take
     */
    public SearxngSearchEngine(
            URI base,
            Credentials key,
            Map<String, String> params,
            Duration timeout,
            WebClient http,
            ObjectMapper mapper) {
        this.base = base;
        this.key = key;
        this.params = Map.copyOf(params);
        this.call = new JsonSearchCall(http, mapper, "SearXNG", timeout);
    }

    public SearxngSearchEngine(URI base, Credentials key, Map<String, String> params, Duration timeout) {
        this(base, key, params, timeout, JsonSearchCall.defaultHttpClient(base), new ObjectMapper());
    }

    @Override
    public SearchOutcome search(SearchRequest request) {
        Map<String, String> query = new LinkedHashMap<>(params);
        query.put("q", request.query());
        query.put("format", "json");
        StringBuilder uri = new StringBuilder(base.toString().replaceAll("/+$", "")).append("/search?");
        query.forEach((name, value) ->
                uri.append(encode(name)).append('=').append(encode(value)).append('&'));
        uri.setLength(uri.length() - 1);
        Map<String, String> headers =
                key.reveal().map(k -> Map.of("authorization", "Bearer " + k)).orElse(Map.of());
        return call.run(
                Method.GET,
                URI.create(uri.toString()),
                headers,
                Optional.empty(),
                json -> JsonSearchCall.hits(
                        json.get("results"),
                        "title",
                        "url",
                        "content",
                        List.of("publishedDate", "pubdate"),
                        request.maxResults()),
                "enable the JSON format under search.formats in the instance's settings.yml");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
