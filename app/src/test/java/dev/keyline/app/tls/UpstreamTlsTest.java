package dev.keyline.app.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigException;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.ports.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment behind a private CA ({@code ssl_verify: ca.pem}, LiteLLM's key) is reached over verified TLS; the
 * same endpoint is refused without that bundle, or with another CA's, before any request is sent; {@code ssl_verify:
 * false} works and is named in a warning; a bundle that cannot be read stops the start.
 */
class UpstreamTlsTest {

    @TempDir
    static Path dir;

    private static final TestCertificates.Issued CA = TestCertificates.authority("Keyline Test Private CA");
    private static final TestCertificates.Issued OTHER_CA = TestCertificates.authority("Some Other CA");
    private static final AtomicInteger ANSWERED = new AtomicInteger();

    private static HttpsServer upstream;
    private static KeylineServer keyline;
    private static GatewayConfig config;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        upstream = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.setHttpsConfigurator(
                new HttpsConfigurator(CA.issueServer("127.0.0.1").serverContext()));
        upstream.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            ANSWERED.incrementAndGet();
            byte[] body = UpstreamFixtures.MESSAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        CA.writeCertificate(dir.resolve("private-ca.pem"));
        OTHER_CA.writeCertificate(dir.resolve("other-ca.pem"));
        String base = "https://127.0.0.1:" + upstream.getAddress().getPort();
        Path file = dir.resolve("tls.yaml");
        Files.writeString(file, """
                model_list:
                  - model_name: private
                    litellm_params: {model: anthropic/m, api_base: %1$s, api_key: sk-private, ssl_verify: private-ca.pem}
                  - model_name: system
                    litellm_params: {model: anthropic/m, api_base: %1$s, api_key: sk-system}
                  - model_name: other
                    litellm_params: {model: anthropic/m, api_base: %1$s, api_key: sk-other, ssl_verify: other-ca.pem}
                  - model_name: unchecked
                    litellm_params: {model: anthropic/m, api_base: %1$s, api_key: sk-unchecked, ssl_verify: false}
                """.formatted(base));
        config = new ConfigLoader(Map.of()).load(file);
        keyline = KeylineServer.start(config, "127.0.0.1", 0, InstantSource.system());
    }

    @AfterAll
    static void stop() {
        keyline.close();
        upstream.stop(0);
    }

    @Test
    void aDeploymentWithItsPrivateCa_isAnswered() throws Exception {
        HttpResponse<String> reply = ask("private");

        assertEquals(200, reply.statusCode(), reply.body());
        assertTrue(reply.body().contains("Hello!"));
    }

    @Test
    void withoutItsCa_orWithAnotherCa_theEndpointIsRefused_beforeAnyRequest() throws Exception {
        int before = ANSWERED.get();

        HttpResponse<String> system = ask("system");
        HttpResponse<String> other = ask("other");

        assertTrue(system.statusCode() >= 500, system.body());
        assertTrue(system.body().contains("certificate"), system.body());
        assertTrue(other.statusCode() >= 500, other.body());
        assertEquals(before, ANSWERED.get(), "no request reached the endpoint");
    }

    @Test
    void sslVerifyFalse_works_andIsNamedInAWarning() throws Exception {
        assertEquals(200, ask("unchecked").statusCode());
        assertTrue(
                config.warnings().stream()
                        .anyMatch(w ->
                                w.contains("ssl_verify") && w.contains("unchecked-1") && w.contains("any certificate")),
                config.warnings().toString());
    }

    @Test
    void aBundleThatCannotBeRead_stopsTheStart() throws Exception {
        Path file = dir.resolve("missing.yaml");
        Files.writeString(file, """
                model_list:
                  - model_name: private
                    litellm_params: {model: anthropic/m, api_base: https://127.0.0.1:1, api_key: k, ssl_verify: nowhere.pem}
                """);

        ConfigException refused = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(file));

        assertTrue(refused.getMessage().contains("model_list[0].litellm_params.ssl_verify"), refused.getMessage());
        assertTrue(refused.getMessage().contains("nowhere.pem"), refused.getMessage());
    }

    private HttpResponse<String> ask(String model) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
