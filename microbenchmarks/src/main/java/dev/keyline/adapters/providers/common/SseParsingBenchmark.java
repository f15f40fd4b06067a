package dev.keyline.adapters.providers.common;

import com.fasterxml.jackson.core.JsonFactory;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.microbenchmarks.Payloads;
import dev.keyline.ports.out.StreamStep;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading a 1,000-delta upstream stream: lines only, the old way ({@code BufferedReader}) against the byte-level
 * {@link SseLineReader}, and whole events as the relay gets them. In this package to reach the reader, which is
 * not public API. The body is in memory, so this is parsing cost alone, no I/O.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SseParsingBenchmark {

    /** Every event is checked before it is relayed; the figures include that check. */
    private static final StreamEventShape SHAPE = new StreamEventShape(new JsonFactory());

    private static final Deployment DEPLOYMENT = new Deployment(
            new DeploymentId("bench-1"),
            new ModelGroupName("bench"),
            "anthropic",
            "bench",
            Endpoint.parse("http://127.0.0.1:9"),
            Credentials.of("sk-bench"),
            AuthScheme.X_API_KEY,
            new ExtraHeaders(Map.of()),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            RoutingHints.defaults());

    private byte[] body;

    @Setup
    public void prepare() {
        body = Payloads.stream(1_000);
    }

    @Benchmark
    public int linesWithBufferedReader() throws IOException {
        int lines = 0;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
            while (reader.readLine() != null) {
                lines++;
            }
        }
        return lines;
    }

    @Benchmark
    public int linesWithSseLineReader() throws IOException {
        int lines = 0;
        SseLineReader reader = new SseLineReader(new ByteArrayInputStream(body));
        while (reader.readLine() != null) {
            lines++;
        }
        return lines;
    }

    @Benchmark
    public int events() {
        int events = 0;
        try (SseEventStream stream = new SseEventStream(
                new ByteArrayInputStream(body), () -> {}, DEPLOYMENT, SHAPE, Duration.ofSeconds(30))) {
            while (stream.next() instanceof StreamStep.Event) {
                events++;
            }
        }
        return events;
    }
}
