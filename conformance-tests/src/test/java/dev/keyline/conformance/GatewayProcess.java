package dev.keyline.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built gateway ({@code app/target/keyline.jar}) run as its own process with an environment the test
 * controls, the way a user runs it. Its output is kept for assertions (a key must never show up in it).
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Keyline listening on (http://\\S+)");
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final List<String> output;
    private final String baseUrl;
    private final Duration startup;

    private GatewayProcess(Process process, List<String> output, String baseUrl, Duration startup) {
        this.process = process;
        this.output = output;
        this.baseUrl = baseUrl;
        this.startup = startup;
    }

    /**
     * Starts {@code keyline serve --config FILE --port 0} and waits until it says where it listens.
     *
     * @param config      the configuration file
     * @param environment variables added to a copy of this process's environment
     * @return the running gateway
     */
    static GatewayProcess start(Path config, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar().toString(), "serve",
                "--config", config.toString(), "--port", "0", "--host", "127.0.0.1").redirectErrorStream(true);
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
            return new GatewayProcess(process, lines, baseUrl, Duration.ofNanos(System.nanoTime() - started));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway did not start: " + String.join("\n", lines), e);
        }
    }

    /** Runs the gateway to completion, for configurations that must be refused. */
    static Result run(Path config, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar().toString(), "serve",
                "--config", config.toString(), "--port", "0").redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway did not exit: " + text);
        }
        return new Result(process.exitValue(), text);
    }

    record Result(int exitCode, String output) {
    }

    String baseUrl() {
        return baseUrl;
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
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static Path jar() {
        Path jar = Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the app module first (mvn verify builds it)");
        }
        return jar;
    }
}
