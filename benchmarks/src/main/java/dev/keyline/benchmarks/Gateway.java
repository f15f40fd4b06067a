package dev.keyline.benchmarks;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One way to reach the upstream: directly, or through a gateway process this harness started. It knows the headers
 * and model name its path needs, and the gateway's process for memory readings.
 */
record Gateway(String name, String baseUrl, String model, Map<String, String> headers, Process process)
        implements AutoCloseable {

    /**
     * Where the paths' upstream calls go.
     *
     * @param json    the fixed JSON answer (nginx when installed, else the fast upstream)
     * @param dynamic the fast upstream: streams of a chosen length, search loops, the search engine
     */
    record Upstreams(String json, String dynamic) {}

    static Gateway direct(Upstreams upstreams) {
        return new Gateway("direct", upstreams.json(), "bench", Map.of("x-api-key", "sk-bench"), null);
    }

    static Gateway keyline(Path root, Path work, Upstreams upstreams, String java, List<String> jvmOptions)
            throws Exception {
        return keyline(root, work, upstreams, java, jvmOptions, Optional.empty());
    }

    static Gateway keyline(
            Path root, Path work, Upstreams upstreams, String java, List<String> jvmOptions, Optional<String> redisUrl)
            throws Exception {
        return keyline(root, work, upstreams, java, jvmOptions, redisUrl, Operations.DEFAULT);
    }

    /** @return this path, sent to the fast upstream (streams, loops), which nginx's fixed answer cannot play */
    Gateway toDynamic(Upstreams upstreams) {
        return switch (name) {
            case "direct" -> new Gateway(name, upstreams.dynamic(), model, headers, process);
            case "portkey" ->
                new Gateway(
                        name, baseUrl, model, Map.of("x-portkey-config", portkeyConfig(upstreams.dynamic())), process);
            case "claude-code-router" -> withModel("dynamic,bench");
            default -> withModel("bench-stream");
        };
    }

    private static String portkeyConfig(String base) {
        return "{\"provider\":\"anthropic\",\"custom_host\":\"" + base + "/v1\",\"api_key\":\"sk-bench\"}";
    }

    /**
     * What an operator has on: the metrics ({@code general_settings.metrics}) and the JSON request and hop lines
     * ({@code litellm_settings.json_logs}).
     */
    record Operations(String name, boolean metrics, boolean jsonLogs, Keys keys, boolean streamResume) {
        static final Operations DEFAULT = new Operations("", true, false, Keys.OPEN);

        Operations(String name, boolean metrics, boolean jsonLogs) {
            this(name, metrics, jsonLogs, Keys.OPEN);
        }

        Operations(String name, boolean metrics, boolean jsonLogs, Keys keys) {
            this(name, metrics, jsonLogs, keys, true);
        }
    }

    /** How clients are let in: an open gateway, the master key alone, or a virtual key with a budget and limits. */
    enum Keys {
        OPEN,
        MASTER_ONLY,
        VIRTUAL
    }

    static final String MASTER_KEY = "sk-bench-master";

    /**
     * @param redisUrl the Redis this Keyline shares its state through, if any; the model group
     *                 {@code bench-limited} has limits (never reached) that are then counted there
     */
    static Gateway keyline(
            Path root,
            Path work,
            Upstreams upstreams,
            String java,
            List<String> jvmOptions,
            Optional<String> redisUrl,
            Operations operations)
            throws Exception {
        return await(launch(root, work, upstreams, java, jvmOptions, redisUrl, operations));
    }

    /** Starts the process; the caller waits for it to answer. */
    private static Gateway launch(
            Path root,
            Path work,
            Upstreams upstreams,
            String java,
            List<String> jvmOptions,
            Optional<String> redisUrl,
            Operations operations)
            throws Exception {
        String name = (redisUrl.isPresent() ? "keyline+redis" : "keyline") + operations.name();
        Path config = work.resolve(name + "-bench.yaml");
        Files.writeString(
                config,
                """
                model_list:
                  - model_name: bench
                    litellm_params: {model: anthropic/bench, api_base: "%4$s", api_key: sk-bench,
                                     input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5}
                  - model_name: bench-limited
                    litellm_params: {model: anthropic/bench, api_base: "%4$s", api_key: sk-bench,
                                     rpm: 100000000, tpm: 1000000000, max_parallel_requests: 100000}
                  - model_name: bench-stream
                    litellm_params: {model: anthropic/bench, api_base: "%1$s", api_key: sk-bench}
                  - model_name: bench-search
                    litellm_params: {model: anthropic/bench, api_base: "%1$s", api_key: sk-bench}
                litellm_settings:
                  callbacks: ["websearch_interception"]
                  websearch_interception_params: {max_agentic_loops: 10}
                  json_logs: %2$s
                general_settings:
                  metrics: %3$s
                %5$s
                search_tools:
                  - search_tool_name: fast
                    litellm_params: {search_provider: searxng, api_base: "%1$s"}
                """.formatted(
                                        upstreams.dynamic(),
                                        operations.jsonLogs(),
                                        operations.metrics(),
                                        upstreams.json(),
                                        keySettings(operations.keys()))
                        + (redisUrl.isPresent() || !operations.streamResume() ? "router_settings:\n" : "")
                        + redisUrl.map(url -> "  redis_url: " + url + "\n").orElse("")
                        + (operations.streamResume() ? "" : "  stream_resume: false\n"));
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-jar",
                root.resolve("app/target/keyline.jar").toString(),
                "serve",
                "--config",
                config.toString(),
                "--port",
                Integer.toString(port)));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile())
                .start();
        Map<String, String> headers = operations.keys() == Keys.OPEN ? Map.of() : Map.of("x-api-key", MASTER_KEY);
        return new Gateway(name, "http://127.0.0.1:" + port, "bench", headers, process);
    }

    /** The key settings of a variant; a virtual key's database is a fresh SQLite file in the run's folder. */
    private static String keySettings(Keys keys) {
        return switch (keys) {
            case OPEN -> "";
            case MASTER_ONLY -> "  master_key: " + MASTER_KEY + "\n  virtual_keys: false";
            case VIRTUAL ->
                "  master_key: " + MASTER_KEY + "\n  database_url: \"sqlite:keys-" + System.nanoTime() + ".db\"";
        };
    }

    /**
     * @return this gateway, its requests sent with a virtual key it issued now: a budget never reached and an rpm
     *         limit, so every check and the accounting run on each request
     */
    Gateway withVirtualKey() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().build();
        HttpResponse<String> reply = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/key/generate"))
                        .header("x-api-key", MASTER_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"key_alias\":\"bench\",\"max_budget\":1000000,\"budget_duration\":\"30d\","
                                        + "\"rpm_limit\":100000000,\"models\":[\"bench\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher key =
                java.util.regex.Pattern.compile("\"key\":\"(sk-kl-[^\"]+)\"").matcher(reply.body());
        if (reply.statusCode() != 200 || !key.find()) {
            throw new IllegalStateException("could not issue a virtual key: " + reply.statusCode());
        }
        return new Gateway(name + "-virtual-key", baseUrl, model, Map.of("x-api-key", key.group(1)), process);
    }

    /**
     * Starts a Keyline as {@link #keyline} does, times it from the process's start to {@code /health/readiness}
     * answering 200 (polled every 2 ms), and stops it.
     *
     * @param http a client already used once: a new JDK client sets up its TLS context as it is built (~100 ms of
     *             this harness's CPU), which would be counted as the gateway's start and take a core from it
     * @return milliseconds to ready
     */
    static double millisToReady(
            Path root, Path work, Upstreams upstreams, String java, List<String> jvmOptions, HttpClient http)
            throws Exception {
        long started = System.nanoTime();
        try (Gateway gateway = launch(root, work, upstreams, java, jvmOptions, Optional.empty(), Operations.DEFAULT)) {
            HttpRequest ready = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health/readiness"))
                    .build();
            long deadline = started + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return (System.nanoTime() - started) / 1e6;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(2);
            }
            throw new IllegalStateException("Keyline was not ready within 60 s");
        }
    }

    /** @return this gateway, asked for another model group */
    Gateway withModel(String other) {
        return new Gateway(name, baseUrl, other, headers, process);
    }

    static Gateway portkey(Path root, Path work, Upstreams upstreams) throws Exception {
        Path server = root.resolve(".peers/portkey/node_modules/@portkey-ai/gateway/build/start-server.js");
        if (!Files.exists(server)) {
            throw new IllegalStateException("Portkey is not installed: run scripts/install-portkey.sh");
        }
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("node", server.toString(), "--port=" + port, "--headless")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("portkey.log").toFile());
        builder.environment().put("NODE_OPTIONS", "--require " + root.resolve(".peers/portkey/bind-local.cjs"));
        return await(new Gateway(
                "portkey",
                "http://127.0.0.1:" + port,
                "bench",
                Map.of("x-portkey-config", portkeyConfig(upstreams.json())),
                builder.start()));
    }

    /**
     * claude-code-router (npm {@code @musistudio/claude-code-router} 1.0.73), the second Node peer: two providers behind
     * its Anthropic transformer, {@code json} (the fixed answer) and {@code dynamic} (streams), chosen per request by
     * the model {@code "provider,model"}; no client key, as Keyline's and Portkey's paths have none.
     */
    static Gateway claudeCodeRouter(Path root, Path work, Upstreams upstreams) throws Exception {
        Path cli = root.resolve(".peers/claude-code-router/node_modules/.bin/ccr");
        if (!Files.exists(cli)) {
            throw new IllegalStateException(
                    "claude-code-router is not installed: run scripts/install-claude-code-router.sh");
        }
        int port = freePort();
        Path home = Files.createDirectories(work.resolve("ccr-home/.claude-code-router"))
                .getParent();
        Files.writeString(home.resolve(".claude-code-router/config.json"), """
                {"HOST": "127.0.0.1", "PORT": %d, "LOG": false, "NON_INTERACTIVE_MODE": true,
                 "API_TIMEOUT_MS": 120000,
                 "Providers": [
                   {"name": "json", "api_base_url": "%s/v1/messages", "api_key": "sk-bench", "models": ["bench"],
                    "transformer": {"use": ["Anthropic"]}},
                   {"name": "dynamic", "api_base_url": "%s/v1/messages", "api_key": "sk-bench", "models": ["bench"],
                    "transformer": {"use": ["Anthropic"]}}],
                 "Router": {"default": "json,bench"}}
                """.formatted(
                        port, upstreams.json(), upstreams.dynamic()));
        ProcessBuilder builder = new ProcessBuilder(cli.toString(), "start")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("claude-code-router.log").toFile());
        builder.environment().put("HOME", home.toString());
        return await(
                new Gateway("claude-code-router", "http://127.0.0.1:" + port, "json,bench", Map.of(), builder.start()));
    }

    HttpRequest.Builder request(String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/messages"))
                .timeout(Duration.ofSeconds(120))
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return request;
    }

    /** @return resident memory of the gateway process in MiB, or -1 for the direct path */
    long residentMib() throws IOException {
        if (process == null) {
            return -1;
        }
        // A launcher that starts the server as its child (ccr start may) is counted with it.
        long kib = residentKib(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            kib += residentKib(child.pid());
        }
        return kib / 1024;
    }

    private static long residentKib(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst()
                .orElse(0);
    }

    /**
     * @return CPU time (user and system) the gateway's process and its children have used so far, in nanoseconds, or
     *         -1 for the direct path; read from {@code /proc/PID/stat} in clock ticks of 10 ms
     */
    long cpuNanos() throws IOException {
        if (process == null) {
            return -1;
        }
        long ticks = ticks(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            ticks += ticks(child.pid());
        }
        return ticks * 10_000_000L;
    }

    private static long ticks(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return 0;
        }
        String line = Files.readString(stat);
        // Fields after the command's closing parenthesis: state is 3, utime 14, stime 15.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static Gateway await(Gateway gateway) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return gateway;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        gateway.close();
        throw new IllegalStateException(gateway.name() + " did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
