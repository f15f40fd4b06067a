package dev.keyline.adapters.search;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.websearch.SearchError;
import dev.keyline.domain.websearch.SearchHit;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;
import dev.keyline.ports.out.SearchEngine;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each HTTP engine against WireMock with its provider's response shape, its auth, and its failures. */
class HttpSearchEnginesTest {

    private static final String KEY = "search-key-5150";
    private static final SearchRequest REQUEST =
            new SearchRequest("keyline gateway", List.of("keyline.example"), List.of(), Optional.of("FR"), 3);

    @RegisterExtension
    static WireMockExtension engine = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    /** An engine, the stub that answers like it, and what its request must carry. */
    record Case(
            String name,
            Function<URI, SearchEngine> create,
            Function<String, MappingBuilder> stub,
            RequestPatternBuilder expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> engines() {
        Duration timeout = Duration.ofSeconds(2);
        return Stream.of(
                new Case(
                        "searxng",
                        base -> new SearxngSearchEngine(
                                base, Credentials.none(), Map.of("categories", "general"), timeout),
                        body -> any(urlPathEqualTo("/search"))
                                .willReturn(aResponse().withBody(body)),
                        anyRequestedFor(urlPathEqualTo("/search"))
                                .withQueryParam("q", equalTo("keyline gateway"))
                                .withQueryParam("format", equalTo("json"))
                                .withQueryParam("categories", equalTo("general"))),
                new Case(
                        "tavily",
                        base -> new TavilySearchEngine(base, Credentials.of(KEY), Map.of(), timeout),
                        body -> any(urlPathEqualTo("/search"))
                                .willReturn(aResponse().withBody(body)),
                        anyRequestedFor(urlPathEqualTo("/search"))
                                .withHeader("authorization", equalTo("Bearer " + KEY))
                                .withRequestBody(matchingJsonPath("$.query", equalTo("keyline gateway")))
                                .withRequestBody(matchingJsonPath("$.include_domains[0]", equalTo("keyline.example")))),
                new Case(
                        "brave",
                        base -> new BraveSearchEngine(base, Credentials.of(KEY), timeout),
                        body -> any(urlPathEqualTo("/res/v1/web/search"))
                                .willReturn(aResponse().withBody(body)),
                        anyRequestedFor(urlPathEqualTo("/res/v1/web/search"))
                                .withHeader("x-subscription-token", equalTo(KEY))
                                .withQueryParam("q", equalTo("keyline gateway"))
                                .withQueryParam("country", equalTo("FR"))),
                new Case(
                        "exa",
                        base -> new ExaSearchEngine(base, Credentials.of(KEY), timeout),
                        body -> any(urlPathEqualTo("/search"))
                                .willReturn(aResponse().withBody(body)),
                        anyRequestedFor(urlPathEqualTo("/search"))
                                .withHeader("x-api-key", equalTo(KEY))
                                .withRequestBody(matchingJsonPath("$.includeDomains[0]", equalTo("keyline.example")))),
                new Case(
                        "perplexity",
                        base -> new PerplexitySearchEngine(base, Credentials.of(KEY), timeout),
                        body -> any(urlPathEqualTo("/search"))
                                .willReturn(aResponse().withBody(body)),
                        anyRequestedFor(urlPathEqualTo("/search"))
                                .withHeader("authorization", equalTo("Bearer " + KEY))
                                .withRequestBody(matchingJsonPath("$.country", equalTo("FR")))));
    }

    /** The provider's response shape, with one hit and one entry lacking a URL (which must be skipped). */
    private static String fixture(String engineName) {
        return switch (engineName) {
            case "searxng" -> """
                    {"query":"q","number_of_results":0,"results":[{"url":"https://keyline.example/docs","title":"Keyline docs",
                     "content":"An LLM gateway.","engine":"duckduckgo","publishedDate":"2026-11-01","score":1.0},{"title":"no url"}],
                     "answers":[],"infoboxes":[],"suggestions":[],"unresponsive_engines":[]}""";
            case "tavily" -> """
                    {"query":"q","answer":null,"images":[],"results":[{"title":"Keyline docs","url":"https://keyline.example/docs",
                     "content":"An LLM gateway.","score":0.81,"raw_content":null,"published_date":"2026-11-01"},{"title":"no url"}],
                     "response_time":0.9}""";
            case "brave" -> """
                    {"type":"search","query":{"original":"q"},"web":{"type":"search","results":[{"title":"Keyline docs",
                     "url":"https://keyline.example/docs","description":"An LLM gateway.","page_age":"2026-11-01"},{"title":"no url"}]}}""";
            case "exa" -> """
                    {"requestId":"r1","resolvedSearchType":"neural","results":[{"id":"https://keyline.example/docs",
                     "url":"https://keyline.example/docs","title":"Keyline docs","publishedDate":"2026-11-01","author":null,
                     "text":"An LLM gateway."},{"title":"no url"}]}""";
            case "perplexity" -> """
                    {"id":"x","results":[{"title":"Keyline docs","url":"https://keyline.example/docs","snippet":"An LLM gateway.",
                     "date":"2026-11-01","last_updated":"2026-11-02"},{"title":"no url"}]}""";
            default -> throw new IllegalArgumentException(engineName);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aSearch_sendsTheEnginesRequest_andMapsItsResults(Case c) {
        engine.stubFor(c.stub().apply(fixture(c.name())));

        SearchOutcome outcome = c.create().apply(URI.create(engine.baseUrl())).search(REQUEST);

        assertEquals(
                new SearchOutcome.Found(List.of(new SearchHit(
                        "Keyline docs", "https://keyline.example/docs", "An LLM gateway.", Optional.of("2026-11-01")))),
                outcome);
        engine.verify(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aRateLimit_isTooManyRequests(Case c) {
        engine.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("retry-after", "3")));

        assertEquals(
                SearchError.TOO_MANY_REQUESTS,
                failure(c.create().apply(URI.create(engine.baseUrl())).search(REQUEST)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void serverErrorsForbiddenAndGarbage_areUnavailable_withoutTheKey(Case c) {
        SearchEngine searchEngine = c.create().apply(URI.create(engine.baseUrl()));
        for (var response : List.of(
                aResponse().withStatus(503),
                aResponse().withStatus(403),
                aResponse().withBody("<html>oops</html>"))) {
            engine.resetAll();
            engine.stubFor(any(anyUrl()).willReturn(response));
            SearchOutcome outcome = searchEngine.search(REQUEST);
            assertEquals(SearchError.UNAVAILABLE, failure(outcome));
            assertFalse(outcome.toString().contains(KEY));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void anUnreachableEngine_isUnavailable(Case c) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        assertEquals(
                SearchError.UNAVAILABLE,
                failure(c.create()
                        .apply(URI.create("http://127.0.0.1:" + closed))
                        .search(REQUEST)));
    }

    private static SearchError failure(SearchOutcome outcome) {
        return assertInstanceOf(SearchOutcome.Failed.class, outcome).error();
    }
}
