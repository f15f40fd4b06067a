package dev.keyline.adapters.frontdoors.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.microbenchmarks.Payloads;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the chat completions front door adds: a 40-turn chat request read as Messages (beside reading the same
 * conversation sent as Messages), and an answer written as a chat completion (beside writing it as Messages).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChatFrontDoorBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ChatRequestReader chatReader = new ChatRequestReader(MAPPER);
    private final MessagesRequestCodec messagesCodec = new MessagesRequestCodec(MAPPER);
    private final ChatAnswerWriter chatWriter = new ChatAnswerWriter(MAPPER, InstantSource.system());
    private final MessageResponseCodec responseCodec = new MessageResponseCodec(MAPPER);
    private byte[] chatRequest;
    private byte[] messagesRequest;
    private MessageResponse answer;

    @Setup
    public void prepare() {
        ObjectNode chat = MAPPER.createObjectNode().put("model", "bench").put("max_tokens", 1024);
        ArrayNode messages = chat.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are a careful assistant. ".repeat(40));
        StringBuilder anthropic = new StringBuilder("{\"model\":\"bench\",\"max_tokens\":1024,\"system\":\""
                + "You are a careful assistant. ".repeat(40) + "\",\"messages\":[");
        for (int turn = 0; turn < 40; turn++) {
            String text = "Turn " + turn + ": " + "some words of the conversation ".repeat(8);
            String role = turn % 2 == 0 ? "user" : "assistant";
            messages.addObject().put("role", role).put("content", text);
            anthropic
                    .append(turn == 0 ? "" : ",")
                    .append("{\"role\":\"")
                    .append(role)
                    .append("\",\"content\":\"")
                    .append(text)
                    .append("\"}");
        }
        anthropic.append("]}");
        chatRequest = chat.toString().getBytes(StandardCharsets.UTF_8);
        messagesRequest = anthropic.toString().getBytes(StandardCharsets.UTF_8);
        answer = responseCodec.read(Payloads.answer());
    }

    @Benchmark
    public MessagesRequest readChatRequest() {
        return chatReader.read(chatRequest).request();
    }

    @Benchmark
    public MessagesRequest readMessagesRequest() {
        return messagesCodec.read(messagesRequest);
    }

    @Benchmark
    public String writeChatAnswer() {
        return chatWriter.write(answer, "bench").toString();
    }

    @Benchmark
    public byte[] writeMessagesAnswer() {
        return responseCodec.write(answer);
    }
}
