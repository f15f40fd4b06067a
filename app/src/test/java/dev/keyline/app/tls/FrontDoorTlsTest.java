package dev.keyline.app.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigException;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.config.ServerTls;
import dev.keyline.ports.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door over HTTPS from PEM files ({@code ssl_certfile_path}, {@code ssl_keyfile_path}): clients that trust
 * the CA are served and plain HTTP is not; a renewed certificate written over the files is served to new connections
 * within seconds while an open connection keeps working; files that do not belong together stop the start.
 */
class FrontDoorTlsTest {

    private static final TestCertificates.Issued CA = TestCertificates.authority("Keyline Front Door CA");

    @TempDir
    Path dir;

    @Test
    void servesHttps_toClientsThatTrustItsCa_andNotPlainHttp() throws Exception {
        try (KeylineServer keyline = start(CA.issueServer("127.0.0.1"))) {
            HttpClient trusting =
                    HttpClient.newBuilder().sslContext(CA.trustingContext()).build();

            HttpResponse<String> health = trusting.send(
                    HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/health/liveliness"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertTrue(keyline.baseUrl().startsWith("https://"), keyline.baseUrl());
            assertEquals(200, health.statusCode());
            HttpClient plain = HttpClient.newHttpClient();
            assertThrows(
                    IOException.class,
                    () -> plain.send(
                            HttpRequest.newBuilder(URI.create(
                                            keyline.baseUrl().replace("https://", "http://") + "/health/liveliness"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void aRenewedCertificate_isServedToNewConnections_whileOpenOnesGoOn() throws Exception {
        TestCertificates.Issued first = CA.issueServer("127.0.0.1");
        try (KeylineServer keyline = start(first)) {
            SSLContext client = CA.trustingContext();
            int port = keyline.port();
            try (SSLSocket open = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
                assertEquals(200, health(open));
                TestCertificates.Issued renewed = CA.issueServer("127.0.0.1");

                // As certbot renews: new files moved into place.
                renewed.writeKey(dir.resolve("key.new"));
                renewed.writeCertificate(dir.resolve("cert.new"));
                Files.move(dir.resolve("key.new"), dir.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
                Files.move(dir.resolve("cert.new"), dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);

                BigInteger served = first.certificate().getSerialNumber();
                long deadline = System.nanoTime() + 15_000_000_000L;
                while (!served.equals(renewed.certificate().getSerialNumber()) && System.nanoTime() < deadline) {
                    try (SSLSocket fresh = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
                        fresh.startHandshake();
                        served = ((X509Certificate) fresh.getSession().getPeerCertificates()[0]).getSerialNumber();
                    }
                }
                assertEquals(renewed.certificate().getSerialNumber(), served, "new connections get the renewal");
                assertEquals(200, health(open), "the connection opened before the renewal still serves");
                assertEquals(
                        first.certificate().getSerialNumber(),
                        ((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber());
            }
        }
    }

    @Test
    void aKeyThatIsNotTheCertificates_stopsTheStart_namingTheFiles_neverTheKey() throws Exception {
        TestCertificates.Issued one = CA.issueServer("127.0.0.1");
        TestCertificates.Issued other = CA.issueServer("127.0.0.1");
        one.writeCertificate(dir.resolve("cert.pem"));
        other.writeKey(dir.resolve("key.pem"));

        ConfigException refused = assertThrows(
                ConfigException.class,
                () -> KeylineServer.start(
                        config().withServerTls(new ServerTls(dir.resolve("cert.pem"), dir.resolve("key.pem"))),
                        "127.0.0.1",
                        0,
                        InstantSource.system()));

        assertTrue(refused.getMessage().contains("key.pem"), refused.getMessage());
        assertTrue(refused.getMessage().contains("cert.pem"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        assertFalse(refused.getMessage().contains("PRIVATE KEY"), refused.getMessage());
    }

    @Test
    void theFilesAreReadFromGeneralSettings_relativeToTheConfig() throws Exception {
        TestCertificates.Issued issued = CA.issueServer("127.0.0.1");
        issued.writeCertificate(dir.resolve("cert.pem"));
        issued.writeKey(dir.resolve("key.pem"));
        Path file = dir.resolve("https.yaml");
        Files.writeString(file, """
                model_list:
                  - model_name: g
                    litellm_params: {model: anthropic/m, api_base: http://127.0.0.1:1, api_key: k}
                general_settings:
                  ssl_certfile_path: cert.pem
                  ssl_keyfile_path: key.pem
                """);

        GatewayConfig config = new ConfigLoader(Map.of()).load(file);

        assertEquals(
                new ServerTls(dir.resolve("cert.pem"), dir.resolve("key.pem")),
                config.serverTls().orElseThrow());
    }

    private KeylineServer start(TestCertificates.Issued certificate) throws IOException {
        certificate.writeCertificate(dir.resolve("cert.pem"));
        certificate.writeKey(dir.resolve("key.pem"));
        return KeylineServer.start(
                config().withServerTls(new ServerTls(dir.resolve("cert.pem"), dir.resolve("key.pem"))),
                "127.0.0.1",
                0,
                InstantSource.system());
    }

    private static GatewayConfig config() {
        return new ConfigLoader(Map.of()).parse("""
                        model_list:
                          - model_name: g
                            litellm_params: {model: anthropic/m, api_base: http://127.0.0.1:1, api_key: k}
                        """, "tls.yaml");
    }

    /** @return the status of {@code GET /health} on an open keep-alive connection */
    private static int health(SSLSocket socket) throws IOException {
        socket.getOutputStream()
                .write("GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String status = line(in);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
