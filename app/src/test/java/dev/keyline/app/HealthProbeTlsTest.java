package dev.keyline.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.ServerTls;
import dev.keyline.ports.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyline health} (the container's health check) finds a gateway that serves HTTPS ready, over TLS. */
class HealthProbeTlsTest {

    @TempDir
    Path dir;

    @Test
    void theProbe_asksAnHttpsGatewayOverTls() throws Exception {
        TestCertificates.Issued server = TestCertificates.authority("Probe CA").issueServer("127.0.0.1");
        server.writeCertificate(dir.resolve("cert.pem"));
        server.writeKey(dir.resolve("key.pem"));
        try (KeylineServer keyline = KeylineServer.start(
                new ConfigLoader(Map.of())
                        .parse("""
                                model_list:
                                  - model_name: g
                                    litellm_params: {model: anthropic/m, api_base: http://127.0.0.1:1, api_key: k}
                                """, "probe.yaml")
                        .withServerTls(new ServerTls(dir.resolve("cert.pem"), dir.resolve("key.pem"))),
                "127.0.0.1",
                0,
                InstantSource.system())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int exit = HealthProbe.run(
                    List.of("--port", Integer.toString(keyline.port())),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("200"), out.toString(StandardCharsets.UTF_8));
        }
    }
}
