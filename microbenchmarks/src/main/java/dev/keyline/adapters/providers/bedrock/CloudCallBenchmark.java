package dev.keyline.adapters.providers.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.anthropic.AnthropicHost;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.providers.common.SseEventStream;
import dev.keyline.adapters.providers.common.StreamEventShape;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.microbenchmarks.Payloads;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.StreamStep;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * What a Bedrock call costs beyond an Anthropic one, per request and per event: the InvokeModel body (the Messages
 * body without {@code model} and {@code stream}) beside Anthropic's, the SigV4 signature, and a 60-event stream read
 * from AWS's binary frames beside the same events read from SSE. In this package to reach the signer and the
 * frame reader, which are not public API. Everything is in memory: no I/O, no network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CloudCallBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final StreamEventShape SHAPE = new StreamEventShape(MAPPER.getFactory());
    private static final int DELTAS = 56; // with start, block start/stop, message delta and stop: 61 events

    private final AnthropicHost anthropic = new AnthropicHost(MAPPER);
    private final BedrockHost bedrock = new BedrockHost(ProviderHttpClients.standard(), MAPPER, InstantSource.system());
    private final SigV4Signer signer = new SigV4Signer(InstantSource.system());
    private final SigV4Signer.AwsKeys keys =
            new SigV4Signer.AwsKeys("AKIABENCHMARK0000001", "bench-secret", Optional.empty());

    private Deployment anthropicDeployment;
    private Deployment bedrockDeployment;
    private ProviderRequest request;
    private byte[] invokeBody;
    private URI invokeUri;
    private byte[] sse;
    private byte[] frames;

    @Setup
    public void prepare() {
        anthropicDeployment = deployment("anthropic", AuthScheme.X_API_KEY);
        bedrockDeployment = deployment(
                "bedrock",
                new AuthScheme.AwsSignature(
                        "bedrock", "us-east-1", "AKIABENCHMARK0000001", Optional.empty(), Optional.empty()));
        request = new ProviderRequest(
                new MessagesRequestCodec(MAPPER).read(Payloads.agentRequest(4)),
                new ProtocolHeaders(Optional.of("2023-06-01"), List.of("interleaved-thinking-2025-05-14")));
        invokeBody = bedrock.body(bedrockDeployment, request, false);
        invokeUri = bedrock.messages(bedrockDeployment, false);
        sse = Payloads.stream(DELTAS);
        frames = framesOf(sse);
    }

    private static Deployment deployment(String provider, AuthScheme scheme) {
        return new Deployment(
                new DeploymentId("bench-" + provider),
                new ModelGroupName("bench"),
                provider,
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                Endpoint.parse("https://bedrock-runtime.us-east-1.amazonaws.com"),
                Credentials.of("bench-secret"),
                scheme,
                new ExtraHeaders(Map.of()),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                RoutingHints.defaults());
    }

    /** Each SSE event's data as a Bedrock {@code chunk} frame, encoded by AWS's codec. */
    private static byte[] framesOf(byte[] sse) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : new String(sse, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data: ")) {
                String payload = "{\"bytes\":\""
                        + Base64.getEncoder().encodeToString(line.substring(6).getBytes(StandardCharsets.UTF_8))
                        + "\"}";
                Map<String, HeaderValue> headers = new LinkedHashMap<>();
                headers.put(":event-type", HeaderValue.fromString("chunk"));
                headers.put(":content-type", HeaderValue.fromString("application/json"));
                headers.put(":message-type", HeaderValue.fromString("event"));
                new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).encode(out);
            }
        }
        return out.toByteArray();
    }

    @Benchmark
    public byte[] anthropicBody() {
        return anthropic.body(anthropicDeployment, request, false);
    }

    @Benchmark
    public byte[] bedrockBody() {
        return bedrock.body(bedrockDeployment, request, false);
    }

    @Benchmark
    public Map<String, String> bedrockSignature() {
        return signer.sign(
                invokeUri, Map.of("content-type", "application/json"), invokeBody, "bedrock", "us-east-1", keys);
    }

    @Benchmark
    public int sseStream() {
        int events = 0;
        try (SseEventStream stream = new SseEventStream(
                new ByteArrayInputStream(sse), () -> {}, anthropicDeployment, SHAPE, Duration.ofSeconds(30))) {
            while (stream.next() instanceof StreamStep.Event) {
                events++;
            }
        }
        return events;
    }

    @Benchmark
    public int bedrockStream() {
        int events = 0;
        try (BedrockEventStream stream = new BedrockEventStream(
                new ByteArrayInputStream(frames), () -> {}, bedrockDeployment, SHAPE, MAPPER, Duration.ofSeconds(30))) {
            while (stream.next() instanceof StreamStep.Event) {
                events++;
            }
        }
        return events;
    }
}
