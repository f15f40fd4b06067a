package dev.keyline.conformance.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.keyline.domain.testing.TestConditions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * Keyline's container image, built from the project's Dockerfile on a base built here from Debian packages (no
 * registry is reached), run the way users run it: the kit passes through the container launcher, the gateway runs
 * as a non-root user with its configuration mounted read-only and its keys from the environment, and SIGTERM lets a
 * stream in flight finish. Skipped, saying why, where no Docker daemon runs ({@code ./keyline test} starts one).
 */
class ContainerImageTest {

    private static final String IMAGE = "keyline:test";
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void buildTheImage() throws Exception {
        assumeTrue(dockerAvailable(), "no Docker daemon is reachable on this machine");
        String base = "keyline-base:local";
        if (run(List.of("docker", "image", "inspect", base)).exitCode() != 0) {
            Result built =
                    run(List.of(ROOT.resolve("scripts/build-base-image.sh").toString(), base));
            assertEquals(0, built.exitCode(), built.output());
        }
        long started = System.nanoTime();
        Result image = run(List.of(
                "docker",
                "build",
                "-q",
                "--network",
                "host",
                "--build-arg",
                "BASE=" + base,
                "-t",
                IMAGE,
                ROOT.toString()));
        assertEquals(0, image.exitCode(), image.output());
        String size = run(List.of("docker", "image", "inspect", "-f", "{{.Size}}", IMAGE))
                .output()
                .strip();
        System.out.printf(
                "container image %s on %s: %d MB, built in %d ms%n",
                IMAGE, base, Long.parseLong(size) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
    }

    @TestFactory
    Stream<DynamicTest> theKitPasses_throughTheContainerLauncher() throws Exception {
        Path out = Path.of("target", "conformance-container").toAbsolutePath();
        ConformanceRun.Report report = ConformanceRun.run(
                "keyline (container " + IMAGE + ")",
                GatewayProfile.named("keyline"),
                new ContainerLauncher(IMAGE, "serve --config {config} --port {port} --host 127.0.0.1"),
                out,
                KeylineConformanceTest.SEED,
                KeylineConformanceTest.CASES / 4);
        ReportWriter.write(report, out);
        return report.results().stream()
                .map(result -> DynamicTest.dynamicTest(
                        result.id(),
                        () -> assertEquals("passed", result.status(), result.id() + ": " + result.counterexample())));
    }

    @Test
    void theGateway_runsAsNonRoot_withItsConfigReadOnly_andDrainsAStreamOnSigterm(@TempDir Path dir) throws Exception {
        WireMockServer upstream =
                new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        String container = null;
        try {
            upstream.stubFor(post(urlPathEqualTo("/v1/messages"))
                    .withHeader("x-api-key", com.github.tomakehurst.wiremock.client.WireMock.equalTo("sk-image-1"))
                    .willReturn(aResponse()
                            .withHeader("content-type", "text/event-stream")
                            .withBody(Files.readString(Path.of("src", "test", "resources", "streams", "short.sse")))
                            .withChunkedDribbleDelay(6, 2_000)));
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, """
                    model_list:
                      - model_name: m
                        litellm_params: {model: anthropic/m, api_base: "%s", api_key: os.environ/UPSTREAM_KEY}
                    """.formatted(upstream.baseUrl()));
            config.toFile().setReadable(true, false);
            int port = freePort();
            long started = System.nanoTime();
            Result run = run(List.of(
                    "docker",
                    "run",
                    "-d",
                    "--network",
                    "host",
                    "-e",
                    "UPSTREAM_KEY=sk-image-1",
                    "-v",
                    config + ":/etc/keyline/config.yaml:ro",
                    IMAGE,
                    "serve",
                    "--config",
                    "/etc/keyline/config.yaml",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(port)));
            assertEquals(0, run.exitCode(), run.output());
            container = run.output().strip();
            String base = "http://127.0.0.1:" + port;
            CommandLauncher.awaitHttp(base, null);
            System.out.printf(
                    "container: from docker run to answering HTTP in %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);

            assertEquals(
                    0,
                    run(List.of("docker", "exec", container, "test", "-s", "/opt/keyline/keyline.aot"))
                            .exitCode(),
                    "the image carries an ahead-of-time cache recorded at build");
            String startLog = run(List.of("docker", "logs", container)).output();
            // The JVM says so when it cannot use the cache it was given, or parts of it.
            assertFalse(startLog.contains("[aot") || startLog.contains("AOT cache"), startLog);
            assertEquals(
                    "10001",
                    run(List.of("docker", "exec", container, "id", "-u"))
                            .output()
                            .strip());
            assertEquals(
                    0,
                    run(List.of(
                                    "docker",
                                    "exec",
                                    container,
                                    "java",
                                    "-jar",
                                    "/opt/keyline/keyline.jar",
                                    "health",
                                    "--port",
                                    Integer.toString(port)))
                            .exitCode(),
                    "the image's health check command answers");

            CompletableFuture<HttpResponse<String>> stream = HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"m\",\"max_tokens\":8,\"stream\":true,"
                                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // Stop once the stream is in flight: the upstream has the call (it dribbles its answer over seconds).
            TestConditions.await(
                    Duration.ofSeconds(20), () -> upstream.getAllServeEvents().size(), calls -> calls >= 1);
            long stopping = System.nanoTime();
            Result stop = run(List.of("docker", "stop", "-t", "10", container));
            Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
            HttpResponse<String> response = stream.get(10, TimeUnit.SECONDS);

            assertEquals(0, stop.exitCode(), stop.output());
            assertTrue(response.body().contains("\"message_stop\""), response.body());
            assertTrue(stopped.compareTo(Duration.ofSeconds(9)) < 0, "docker stop took " + stopped);
            assertEquals(
                    "143",
                    run(List.of("docker", "inspect", "-f", "{{.State.ExitCode}}", container))
                            .output()
                            .strip(),
                    "ended by its SIGTERM, not killed (137)");
            System.out.printf("container: docker stop with a stream in flight took %d ms%n", stopped.toMillis());
        } finally {
            if (container != null) {
                run(List.of("docker", "rm", "-f", container));
            }
            upstream.stop();
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(process.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
