package dev.keyline.adapters.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Searches one after another ride one kept-alive connection: a new one per search costs a TCP connect (and a TLS
 * handshake against a real engine) inside every search loop. The engine is a real HTTP server that sees the ports.
 */
class SearchConnectionReuseTest {

    private static final byte[] ANSWER = """
            {"results":[{"url":"https://keyline.example/a","title":"A","content":"alpha"}],"number_of_results":1}""".getBytes(StandardCharsets.UTF_8);

    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private WebServer engine;

    @BeforeEach
    void startEngine() {
        engine = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.get("/search", (req, res) -> {
                    clientPorts.add(req.remotePeer().port());
                    res.header(HeaderNames.CONTENT_TYPE, "application/json").send(ANSWER);
                }))
                .build()
                .start();
    }

    @AfterEach
    void stopEngine() {
        engine.stop();
    }

    @Test
    void consecutiveSearches_shareOneConnection() {
        SearxngSearchEngine searxng = new SearxngSearchEngine(
                URI.create("http://127.0.0.1:" + engine.port()), Credentials.none(), Map.of(), Duration.ofSeconds(5));
        for (int i = 0; i < 4; i++) {
            SearchOutcome.Found found = assertInstanceOf(
                    SearchOutcome.Found.class,
                    searxng.search(new SearchRequest("query " + i, List.of(), List.of(), Optional.empty(), 5)));
            assertEquals("https://keyline.example/a", found.hits().getFirst().url());
        }
        assertEquals(1, clientPorts.size(), "client ports seen by the engine: " + clientPorts);
    }

    @Test
    void roundsOfParallelSearches_reuseTheConnectionsOfTheRoundBefore() throws Exception {
        SearxngSearchEngine searxng = new SearxngSearchEngine(
                URI.create("http://127.0.0.1:" + engine.port()), Credentials.none(), Map.of(), Duration.ofSeconds(5));
        for (int round = 0; round < 4; round++) {
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                var searches = IntStream.range(0, 3)
                        .mapToObj(i -> threads.submit(() -> searxng.search(
                                new SearchRequest("query " + i, List.of(), List.of(), Optional.empty(), 5))))
                        .toList();
                for (var search : searches) {
                    assertInstanceOf(SearchOutcome.Found.class, search.get());
                }
            }
        }
        assertTrue(clientPorts.size() <= 3, "client ports seen by the engine: " + clientPorts);
    }
}
