package dev.keyline.domain.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void base_dropsTrailingSlashes() {
        assertEquals(
                URI.create("http://127.0.0.1:8080/anthropic"),
                Endpoint.parse("http://127.0.0.1:8080/anthropic//").base());
    }

    @Test
    void secure_isHttpsInAnyCase() {
        assertTrue(Endpoint.parse("https://api.example.com").secure());
        assertTrue(Endpoint.parse("HTTPS://api.example.com").secure());
        assertFalse(Endpoint.parse("http://127.0.0.1:8000/v1").secure());
    }

    @Test
    void origin_namesSchemeHostAndPort() {
        assertEquals(
                "https://api.example.com:443",
                Endpoint.parse("https://API.example.com/a").origin());
        assertEquals(
                "http://127.0.0.1:8101",
                Endpoint.parse("http://127.0.0.1:8101/a/b").origin());
    }

    @Test
    void parse_rejectsWhatCannotBeAnApiBase() {
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("ftp://host/x"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("api.example.com"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("https://host/x?key=1"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("https://host/x#frag"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("https://a b"));
    }

    @Test
    void parse_rejectsCredentialsInTheUrl_withoutRepeatingThem() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("https://user:s3cret@host/x"));

        assertFalse(error.getMessage().contains("s3cret"));
    }
}
