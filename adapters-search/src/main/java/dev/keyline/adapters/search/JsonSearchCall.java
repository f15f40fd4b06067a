package dev.keyline.adapters.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.websearch.SearchError;
import dev.keyline.domain.websearch.SearchHit;
import dev.keyline.domain.websearch.SearchOutcome;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One JSON search call and the mapping of its trouble: 429 is {@code too_many_requests}; any other error status,
 * a timeout, a refused connection or an unreadable body is {@code unavailable}. Keys travel in headers only, to the
 * engine's own address, and never appear in what is logged or returned.
 */
final class JsonSearchCall {

    private static final System.Logger LOG = System.getLogger(JsonSearchCall.class.getName());

    private final WebClient http;
    private final ObjectMapper mapper;
    private final String engine;
    private final Duration timeout;

    JsonSearchCall(WebClient http, ObjectMapper mapper, String engine, Duration timeout) {
        this.http = http;
        this.mapper = mapper;
        this.engine = engine;
        this.timeout = timeout;
    }

    /**
     * @param base the engine's base URI: TLS is set up only for an {@code https} one, since building the JDK's TLS
     *             context (the trust store parsed) costs a start ~100 ms that a local SearXNG never needs
     * @return a client fit for search calls: no redirects, bounded connect time, no Nagle delay
     */
    static WebClient defaultHttpClient(URI base) {
        Duration connectTimeout = Duration.ofSeconds(5);
        WebClientConfig.Builder builder = WebClient.builder();
        if (!"https".equalsIgnoreCase(base.getScheme())) {
            builder.tls(Tls.builder().enabled(false).build());
        }
        return builder.followRedirects(false)
                .sendExpectContinue(false)
                .connectTimeout(connectTimeout)
                .socketOptions(SocketOptions.builder()
                        .tcpNoDelay(true)
                        .connectTimeout(connectTimeout)
                        .build())
                .build();
    }

    /**
     * @param method   GET or POST
     * @param uri      the full URI, query included
     * @param headers  auth and other headers
     * @param body     the JSON body for POST, or empty
     * @param results  reads the hits out of the engine's JSON answer
     * @param forbidden what a 403 means for this engine, for the log
     */
    SearchOutcome run(
            Method method,
            URI uri,
            Map<String, String> headers,
            Optional<Object> body,
            Function<JsonNode, List<SearchHit>> results,
            String forbidden) {
        HttpClientRequest request =
                http.method(method).uri(uri).readTimeout(timeout).header(HeaderNames.ACCEPT, "application/json");
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        try (HttpClientResponse response = body.isPresent()
                ? request.header(HeaderNames.CONTENT_TYPE, "application/json")
                        .submit(mapper.writeValueAsBytes(body.get()))
                : request.request()) {
            int status = response.status().code();
            if (status == 429) {
                return failed(SearchError.TOO_MANY_REQUESTS, engine + " is rate limiting searches");
            }
            if (status == 403) {
                LOG.log(Level.WARNING, engine + " answered 403 Forbidden: " + forbidden);
                return failed(SearchError.UNAVAILABLE, engine + " refused the search (403)");
            }
            if (status >= 300) {
                LOG.log(Level.WARNING, engine + " answered HTTP " + status);
                return failed(SearchError.UNAVAILABLE, engine + " answered HTTP " + status);
            }
            JsonNode json;
            try (InputStream in = response.inputStream()) {
                // To the body's end, not just the JSON value's, so the connection is plainly reusable.
                json = mapper.readTree(in.readAllBytes());
            }
            return new SearchOutcome.Found(results.apply(json));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, engine + " search failed: " + e.getClass().getSimpleName());
            return failed(SearchError.UNAVAILABLE, engine + " could not be reached");
        }
    }

    private static SearchOutcome failed(SearchError error, String detail) {
        return new SearchOutcome.Failed(error, detail);
    }

    /** Reads an array of result objects with the engine's field names; entries without a URL are skipped. */
    static List<SearchHit> hits(JsonNode array, String title, String url, String snippet, List<String> dates, int max) {
        List<SearchHit> hits = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return hits;
        }
        for (JsonNode item : array) {
            String link = item.path(url).asText("");
            if (link.isBlank()) {
                continue;
            }
            Optional<String> date = dates.stream()
                    .map(item::path)
                    .filter(JsonNode::isTextual)
                    .map(JsonNode::asText)
                    .filter(d -> !d.isBlank())
                    .findFirst();
            hits.add(new SearchHit(
                    item.path(title).asText(link), link, item.path(snippet).asText(""), date));
            if (hits.size() >= max) {
                break;
            }
        }
        return hits;
    }
}
