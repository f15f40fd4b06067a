package dev.keyline.adapters.providers.common;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.keyline.domain.deployment.Endpoint;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider client sets up TLS only for a configuration that calls an {@code https} endpoint. */
class ProviderHttpClientTlsTest {

    @Test
    void aClientForPlainEndpoints_hasNoTls_andStillCallsThem() {
        WireMockServer upstream =
                new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        try {
            upstream.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withBody("pong")));
            Endpoint plain = Endpoint.parse("http://127.0.0.1:" + upstream.port());
            Http1Client http = ProviderHttpClients.forEndpoints(List.of(plain));

            assertFalse(http.prototype().tls().enabled(), "no TLS context is built for plain HTTP deployments");
            try (Http1ClientResponse response =
                    http.get("http://127.0.0.1:" + upstream.port() + "/ping").request()) {
                assertEquals(200, response.status().code());
                assertEquals("pong", response.as(String.class));
            }
        } finally {
            upstream.stop();
        }
    }

    @Test
    void oneHttpsEndpoint_isEnoughForTls() {
        Http1Client http = ProviderHttpClients.forEndpoints(
                List.of(Endpoint.parse("http://127.0.0.1:8000"), Endpoint.parse("https://api.anthropic.com")));

        assertTrue(http.prototype().tls().enabled());
        assertTrue(ProviderHttpClients.standard().prototype().tls().enabled());
    }
}
