package dev.keyline.conformance.kit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs any gateway from a command template, {@code {config}} and {@code {port}} filled in, with the kit's
 * environment, and waits until the port answers HTTP. The command is split on spaces; quote nothing.
 */
public final class CommandLauncher implements GatewayLauncher {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final String template;
    private final Path log;
    private final Map<String, String> extraEnvironment;

    /**
     * @param template e.g. {@code java -jar app/target/keyline.jar serve --config {config} --port {port}}
     * @param log      where the gateway's output goes
     */
    public CommandLauncher(String template, Path log) {
        this(template, log, Map.of());
    }

    /** @param extraEnvironment variables the gateway needs besides the kit's (e.g. NODE_OPTIONS) */
    public CommandLauncher(String template, Path log, Map<String, String> extraEnvironment) {
        this.template = template;
        this.log = log;
        this.extraEnvironment = Map.copyOf(extraEnvironment);
    }

    @Override
    public RunningGateway launch(Path config, Map<String, String> environment) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return launch(config, environment, port);
    }

    @Override
    public RunningGateway launch(Path config, Map<String, String> environment, int port) throws Exception {
        List<String> command = new ArrayList<>();
        for (String part : template.strip().split("\\s+")) {
            command.add(part.replace("{config}", config.toString()).replace("{port}", Integer.toString(port)));
        }
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().putAll(extraEnvironment);
        Process process = builder.start();
        String baseUrl = "http://127.0.0.1:" + port;
        awaitHttp(baseUrl, process);
        return new RunningGateway(baseUrl, true, () -> {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        });
    }

    /** Waits until anything answers HTTP on the port; a gateway need not have a health endpoint. */
    static void awaitHttp(String baseUrl, Process process) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + " before answering");
            }
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the gateway did not answer on " + baseUrl + " within " + START_LIMIT);
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
