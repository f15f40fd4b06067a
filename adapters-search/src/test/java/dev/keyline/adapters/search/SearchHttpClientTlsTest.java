package dev.keyline.adapters.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** A search engine's client sets up TLS only when the engine's base is {@code https}. */
class SearchHttpClientTlsTest {

    @Test
    void tlsFollowsTheEnginesScheme() {
        assertFalse(JsonSearchCall.defaultHttpClient(URI.create("http://127.0.0.1:8888"))
                .prototype()
                .tls()
                .enabled());
        assertTrue(JsonSearchCall.defaultHttpClient(URI.create("https://api.tavily.com"))
                .prototype()
                .tls()
                .enabled());
        assertTrue(JsonSearchCall.defaultHttpClient(URI.create("HTTPS://search.example"))
                .prototype()
                .tls()
                .enabled());
    }
}
