package dev.keyline.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives closed-loop load with wrk (Debian's package), a separate C process, so the load generator costs the
 * gateways little CPU and measures latency in microseconds. A Lua script sets the request and prints the figures.
 */
final class WrkLoad {

    private static final Pattern RESULT = Pattern.compile(
            "KEYLINE-BENCH requests=(\\d+) seconds=([\\d.]+) p50=([\\d.]+) p99=([\\d.]+) errors=(\\d+)");

    private final Path work;

    private WrkLoad(Path work) {
        this.work = work;
    }

    /** @return wrk when it is on the PATH, else empty (the harness then loads with the JDK client) */
    static Optional<WrkLoad> find(Path work) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
                return Optional.of(new WrkLoad(work));
            }
        }
        return Optional.empty();
    }

    /** @return what {@code wrk -v} says of itself, e.g. "wrk 4.1.0 [epoll]" */
    String version() {
        try {
            Process wrk =
                    new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            String first = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("wrk");
            wrk.waitFor(5, TimeUnit.SECONDS);
            return first.replaceAll("\\s+Copyright.*", "").strip();
        } catch (IOException e) {
            return "wrk";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk";
        }
    }

    /**
     * @param connections open connections, each sending its next request when the last is answered
     * @return throughput and latency; non-2xx answers and socket errors count as errors
     */
    Scenarios.Load run(Gateway gateway, String body, int connections, Duration duration)
            throws IOException, InterruptedException {
        Path script = work.resolve("wrk-" + gateway.name() + ".lua");
        Files.writeString(script, script(gateway, body));
        int threads = Math.min(connections, 2);
        Process wrk = new ProcessBuilder(
                        "wrk",
                        "-t" + threads,
                        "-c" + connections,
                        "-d" + duration.toSeconds() + "s",
                        "--timeout",
                        "10s",
                        "-s",
                        script.toString(),
                        gateway.baseUrl() + "/v1/messages")
                .redirectErrorStream(true)
                .start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed against " + gateway.name() + ":\n" + output);
        }
        Matcher result = RESULT.matcher(output);
        if (!result.find()) {
            throw new IllegalStateException("wrk printed no figures for " + gateway.name() + ":\n" + output);
        }
        long requests = Long.parseLong(result.group(1));
        double seconds = Double.parseDouble(result.group(2));
        return new Scenarios.Load(
                requests / seconds,
                new Scenarios.Stats(
                        Double.parseDouble(result.group(3)) / 1000, Double.parseDouble(result.group(4)) / 1000, (int)
                                Math.min(Integer.MAX_VALUE, requests)),
                Long.parseLong(result.group(5)));
    }

    private static String script(Gateway gateway, String body) {
        List<String> lines = new ArrayList<>();
        lines.add("wrk.method = \"POST\"");
        lines.add("wrk.body = " + lua(body));
        lines.add("wrk.headers[\"content-type\"] = \"application/json\"");
        lines.add("wrk.headers[\"anthropic-version\"] = \"2023-06-01\"");
        for (Map.Entry<String, String> header : gateway.headers().entrySet()) {
            lines.add("wrk.headers[ " + lua(header.getKey()) + " ] = " + lua(header.getValue()));
        }
        lines.add("""
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("KEYLINE-BENCH requests=%d seconds=%.3f p50=%.1f p99=%.1f errors=%d\\n",
                    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
                    e.connect + e.read + e.write + e.status + e.timeout))
                end""");
        return String.join("\n", lines) + "\n";
    }

    /** A Lua long-bracket string: no escaping needed, as long as the text has no "]==]". */
    private static String lua(String text) {
        if (text.contains("]==]")) {
            throw new IllegalArgumentException("text not representable as a Lua long string");
        }
        return "[==[" + text + "]==]";
    }
}
