package dev.keyline.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launched-gateway fixture: the built gateway ({@code app/target/keyline.jar}) run as its own process, the way a
 * user runs it, with a configuration file and an environment the test controls (decoy {@code ANTHROPIC_*}
 * variables included), in front of loopback WireMock upstreams. Its output is kept for assertions (a key must never
 * show up in it).
 */
final class LaunchedGateway implements AutoCloseable {

    /** The decoy {@code ANTHROPIC_API_KEY}; it must never reach an upstream, a log or a client. */
    static final String DECOY_KEY = "sk-ant-decoy-9999";

    private static final String DECOY_REFUSAL =
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}";

    private static final Pattern LISTENING = Pattern.compile("Keyline listening on (http://\\S+)");
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private WireMockServer decoy;
    private final List<String> output;
    private final String baseUrl;
    private final Duration startup;

    private LaunchedGateway(Process process, List<String> output, String baseUrl, Duration startup) {
        this.process = process;
        this.output = output;
        this.baseUrl = baseUrl;
        this.startup = startup;
    }

    /** @return a WireMock server on loopback, kept (stubs and journal) across the tests of a class */
    static WireMockExtension loopbackUpstream() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
                .resetOnEachTest(false)
                .build();
    }

    /**
     * Writes {@code config.yaml} into {@code dir} and starts the gateway on it, beside a decoy: a server that answers
     * 401 to everything, named by {@code ANTHROPIC_BASE_URL} and {@code ANTHROPIC_API_BASE}, with
     * {@code ANTHROPIC_API_KEY} set to {@link #DECOY_KEY}. A gateway that falls back to the environment (the seed
     * defect) reaches it; {@link #decoyRequests()} shows whether anything did.
     *
     * @param yaml        the configuration's text
     * @param environment variables the configuration names, added to a copy of this process's environment
     */
    static LaunchedGateway start(Path dir, String yaml, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path config = writeConfig(dir, yaml);
        WireMockServer decoy = startDecoy();
        try {
            return start(config, withDecoy(decoy, environment)).withDecoy(decoy);
        } catch (IOException | RuntimeException e) {
            decoy.stop();
            throw e;
        }
    }

    /**
     * Runs the gateway on a configuration it must refuse, beside the same decoy, until it exits.
     *
     * @return its exit code, what it printed, and what reached the decoy
     */
    static Result refuse(Path dir, String yaml, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path config = writeConfig(dir, yaml);
        WireMockServer decoy = startDecoy();
        try {
            ProcessBuilder builder = serve(config);
            builder.environment().putAll(withDecoy(decoy, environment));
            Process process = builder.start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the gateway did not exit: " + text);
            }
            return new Result(process.exitValue(), text, requestsTo(decoy));
        } finally {
            decoy.stop();
        }
    }

    /** A refused start: the exit code, the output, and every request that reached the decoy (none, if it kept its promise). */
    record Result(int exitCode, String output, List<LoggedRequest> decoyRequests) {}

    /** @return {@code keyline serve} on the built jar, any free port on loopback, its output merged */
    private static ProcessBuilder serve(Path config) {
        return new ProcessBuilder(
                        javaBinary(),
                        "-jar",
                        jar().toString(),
                        "serve",
                        "--config",
                        config.toString(),
                        "--port",
                        "0",
                        "--host",
                        "127.0.0.1")
                .redirectErrorStream(true);
    }

    private static Path writeConfig(Path dir, String yaml) throws IOException {
        Path config = dir.resolve("config-" + System.nanoTime() + ".yaml");
        Files.writeString(config, yaml);
        return config;
    }

    private static WireMockServer startDecoy() {
        WireMockServer decoy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        decoy.start();
        decoy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withBody(DECOY_REFUSAL)));
        return decoy;
    }

    private static Map<String, String> withDecoy(WireMockServer decoy, Map<String, String> environment) {
        Map<String, String> all = new HashMap<>(environment);
        all.putAll(Map.of(
                "ANTHROPIC_API_KEY", DECOY_KEY,
                "ANTHROPIC_BASE_URL", decoy.baseUrl(),
                "ANTHROPIC_API_BASE", decoy.baseUrl(),
                "OPENAI_API_KEY", DECOY_KEY,
                "OPENAI_BASE_URL", decoy.baseUrl(),
                "OPENAI_API_BASE", decoy.baseUrl()));
        return all;
    }

    private static List<LoggedRequest> requestsTo(WireMockServer decoy) {
        return decoy.getAllServeEvents().stream().map(ServeEvent::getRequest).toList();
    }

    /** @return every request that reached the decoy; a gateway that keeps its promise leaves this empty */
    List<LoggedRequest> decoyRequests() {
        return decoy == null ? List.of() : requestsTo(decoy);
    }

    private LaunchedGateway withDecoy(WireMockServer decoy) {
        this.decoy = decoy;
        return this;
    }

    /**
     * Starts {@code keyline serve --config FILE --port 0} and waits until it says where it listens.
     *
     * @param config      the configuration file
     * @param environment variables added to a copy of this process's environment
     * @return the running gateway
     */
    static LaunchedGateway start(Path config, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = serve(config);
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        url.complete(matcher.group(1));
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IllegalStateException("the gateway exited: " + String.join("\n", lines)));
        });
        try {
            String baseUrl = url.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
            return new LaunchedGateway(process, lines, baseUrl, Duration.ofNanos(System.nanoTime() - started));
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway did not start: " + String.join("\n", lines), e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /**
     * Posts a body to the gateway, as a client would.
     *
     * @param path    the path and query, e.g. {@code /v1/messages?beta=true}
     * @param headers the request's headers
     * @return the whole response, read as text
     */
    HttpResponse<String> post(String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Duration startup() {
        return startup;
    }

    long pid() {
        return process.pid();
    }

    /** @return resident memory in KiB from {@code /proc}, or -1 where that is not available */
    long residentKib() throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst()
                .orElse(-1L);
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * Sends SIGTERM, as {@code docker stop} and Kubernetes do, and waits for the process to end.
     *
     * @return how long it took to exit
     */
    Duration terminate() throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway did not stop within 30 s of SIGTERM");
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public void close() throws InterruptedException {
        if (decoy != null) {
            decoy.stop();
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static Path jar() {
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the app module first (mvn verify builds it)");
        }
        return jar;
    }
}
