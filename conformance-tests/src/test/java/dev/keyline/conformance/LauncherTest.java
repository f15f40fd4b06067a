package dev.keyline.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./keyline serve} as users start it: through the launcher, which records the JVM's ahead-of-time cache on
 * its first start after a build and starts the gateway with it. The rest of the suite starts the jar directly, so a
 * broken launcher would otherwise go unnoticed (it did once).
 */
class LauncherTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void serve_throughTheLauncher_startsWithTheAheadOfTimeCache_andAnswers(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("launcher.yaml"), """
                model_list:
                  - model_name: g
                    litellm_params: {model: anthropic/m, api_base: "http://127.0.0.1:9", api_key: sk-launcher}
                """);
        Path log = dir.resolve("launcher.log");
        Process launcher = new ProcessBuilder(
                        ROOT.resolve("keyline").toString(),
                        "serve",
                        "--config",
                        config.toString(),
                        "--port",
                        Integer.toString(port))
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            int status = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (status != 200 && launcher.isAlive() && System.nanoTime() < deadline) {
                try {
                    status = http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            String output = Files.readString(log);
            assertEquals(200, status, "the gateway started through the launcher answers; its output:\n" + output);
            assertTrue(Files.exists(ROOT.resolve("app/target/keyline.aot")), "the cache was recorded");
            assertFalse(output.contains("unbound variable") || output.contains("command not found"), output);
            assertFalse(output.contains("training run failed"), output);
            // The JVM says so when it cannot use a cache it was given (another JDK, a changed class path).
            assertFalse(output.contains("[aot") || output.contains("AOT cache"), output);
        } finally {
            launcher.destroy();
            launcher.waitFor(15, TimeUnit.SECONDS);
        }
    }
}
