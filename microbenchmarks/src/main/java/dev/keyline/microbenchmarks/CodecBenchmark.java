package dev.keyline.microbenchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.ports.out.UpstreamAnswer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JSON work of every non-streamed call: the client's request is decoded and re-encoded for the upstream (the
 * provider's model name goes in), and the upstream's answer is decoded and re-encoded for the client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

    /** Conversation turns: 1 is a chat message, 40 an agent mid-task (about 60 KB). */
    @Param({"1", "40"})
    public int turns;

    private MessagesRequestCodec requests;
    private MessageResponseCodec responses;
    private byte[] requestBody;
    private byte[] answerBody;
    private MessagesRequest request;
    private MessageResponse answer;

    @Setup
    public void prepare() {
        ObjectMapper mapper = new ObjectMapper();
        requests = new MessagesRequestCodec(mapper);
        responses = new MessageResponseCodec(mapper);
        requestBody = Payloads.agentRequest(turns);
        answerBody = Payloads.answer();
        request = requests.read(requestBody);
        answer = responses.read(answerBody);
    }

    @Benchmark
    public MessagesRequest decodeRequest() {
        return requests.read(requestBody);
    }

    @Benchmark
    public byte[] encodeRequest() {
        return requests.write(request);
    }

    /** The whole request leg: the body as a client sent it, to the body the upstream gets. */
    @Benchmark
    public byte[] requestRoundTrip() {
        return requests.write(requests.read(requestBody).withModel("kimi-k2.5"));
    }

    @Benchmark
    public byte[] answerRoundTrip() {
        return responses.write(responses.read(answerBody));
    }

    /** What a JSON answer in the normalised shape costs now: checked and its usage read, its bytes sent as they are. */
    @Benchmark
    public byte[] answerPassedThrough() {
        return switch (responses.answer(answerBody)) {
            case UpstreamAnswer.Verbatim verbatim -> verbatim.bytes();
            case UpstreamAnswer.Decoded decoded -> responses.write(decoded.message());
        };
    }
}
