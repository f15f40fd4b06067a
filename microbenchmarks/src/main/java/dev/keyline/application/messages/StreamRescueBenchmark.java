package dev.keyline.application.messages;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What stream rescue's bookkeeping costs a stream that never breaks: a 1,000-delta text answer read through the
 * rescuing stream, against the same events read directly. Both ends in process, no I/O: the difference is the
 * bookkeeping alone (the event-type switch, a block start read, each delta kept by reference).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamRescueBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JacksonMessageEventCodec CODEC = new JacksonMessageEventCodec(MAPPER);

    private List<StreamStep> steps;
    private Deployment deployment;

    @Setup
    public void prepare() {
        steps = new ArrayList<>();
        steps.add(new StreamStep.Event(new StreamEvent(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_b\",\"type\":\"message\",\"role\":"
                        + "\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}")));
        steps.add(new StreamStep.Event(new StreamEvent(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")));
        for (int i = 0; i < 1_000; i++) {
            steps.add(new StreamStep.Event(new StreamEvent(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"word"
                            + i + " \"}}")));
        }
        steps.add(new StreamStep.Event(
                new StreamEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")));
        steps.add(new StreamStep.Event(new StreamEvent(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":1000}}")));
        steps.add(new StreamStep.Event(new StreamEvent("message_stop", "{\"type\":\"message_stop\"}")));
        steps.add(new StreamStep.End());
        deployment = new Deployment(
                new DeploymentId("bench"),
                new ModelGroupName("bench"),
                "anthropic",
                "m",
                Endpoint.parse("http://127.0.0.1:1"),
                Credentials.of("sk-bench"),
                AuthScheme.X_API_KEY,
                new ExtraHeaders(Map.of()),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                RoutingHints.defaults());
    }

    @Benchmark
    public int direct(Blackhole sink) {
        return drain(listed(), sink);
    }

    @Benchmark
    public int rescuing(Blackhole sink) {
        return drain(
                new RescuingEventStream(
                        listed(), deployment, CODEC, (broken, on, failure, answer, broke) -> Optional.empty(), "req"),
                sink);
    }

    private EventStream listed() {
        var iterator = steps.iterator();
        return new EventStream() {
            @Override
            public StreamStep next() {
                return iterator.next();
            }

            @Override
            public void close() {}
        };
    }

    private static int drain(EventStream events, Blackhole sink) {
        int count = 0;
        for (StreamStep step = events.next(); !(step instanceof StreamStep.End); step = events.next()) {
            sink.consume(step);
            count++;
        }
        events.close();
        return count;
    }
}
