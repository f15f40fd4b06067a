package dev.keyline.adapters.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ToolDefinition;
import dev.keyline.microbenchmarks.Payloads;
import dev.keyline.ports.out.StreamStep;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
 * What translating to and from chat completions costs: a 40-turn agent request written as a chat request (beside
 * writing it as a Messages request, the Anthropic adapter's work), a chat answer read back, and a 1,000-delta chat
 * stream turned into Messages events (beside {@link SseParsingBenchmark#events()}, the same number of Anthropic
 * events relayed). In memory: translation cost alone, no I/O.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChatTranslationBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final Deployment DEPLOYMENT = new Deployment(
            new DeploymentId("bench-1"),
            new ModelGroupName("bench"),
            "hosted_vllm",
            "bench",
            Endpoint.parse("http://127.0.0.1:9/v1"),
            Credentials.of("sk-bench"),
            AuthScheme.BEARER,
            new ExtraHeaders(Map.of()),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            RoutingHints.defaults());

    private final OpenAiChatRequests chatRequests = new OpenAiChatRequests(MAPPER);
    private final OpenAiChatAnswers chatAnswers = new OpenAiChatAnswers(MAPPER);
    private final MessagesRequestCodec messagesRequests = new MessagesRequestCodec(MAPPER);
    private MessagesRequest request;
    private byte[] chatAnswer;
    private byte[] chatStream;

    @Setup
    public void prepare() {
        MessagesRequest agent = messagesRequests.read(Payloads.agentRequest(40));
        // As a search loop sends it: the server tool is the gateway's to run, so the model sees client tools only.
        request = new MessagesRequest(
                agent.model(),
                agent.maxTokens(),
                agent.messages(),
                agent.tools().stream()
                        .filter(ToolDefinition.Client.class::isInstance)
                        .toList(),
                agent.toolChoice(),
                agent.stream(),
                agent.extra());
        chatAnswer = ("{\"id\":\"chatcmpl-b\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{"
                        + "\"role\":\"assistant\",\"content\":\"" + "word ".repeat(200) + "\"}}],"
                        + "\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":200}}")
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            sse.append("data: {\"id\":\"chatcmpl-b\",\"object\":\"chat.completion.chunk\",\"created\":1764400000,")
                    .append("\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token ")
                    .append(i)
                    .append(" \"},\"finish_reason\":null}]}\n\n");
        }
        sse.append(
                "data: {\"id\":\"chatcmpl-b\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sse.append(
                "data: {\"id\":\"chatcmpl-b\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1000}}\n\n");
        sse.append("data: [DONE]\n\n");
        chatStream = sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] requestAsChat() throws UntranslatableRequest {
        return chatRequests.write(DEPLOYMENT, request, true);
    }

    @Benchmark
    public byte[] requestAsMessages() {
        return messagesRequests.write(request);
    }

    @Benchmark
    public MessageResponse answerFromChat() throws IOException {
        return chatAnswers.read(chatAnswer, request);
    }

    @Benchmark
    public int streamFromChat() {
        int events = 0;
        try (OpenAiChunkStream stream = new OpenAiChunkStream(
                new ByteArrayInputStream(chatStream), () -> {}, DEPLOYMENT, MAPPER, request, Duration.ofSeconds(30))) {
            while (stream.next() instanceof StreamStep.Event) {
                events++;
            }
        }
        return events;
    }
}
