package dev.keyline.adapters.frontdoors.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.frontdoors.server.StreamOutcome;
import dev.keyline.adapters.providers.openai.ChatStreams;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import java.io.OutputStream;
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
 * A 1,000-chunk chat completions stream from an OpenAI-compatible upstream to a chat completions client, both ends
 * in process: the adapter reads the upstream's chunks into Messages events, the chat door writes them as chunks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChatStreamBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ChatChunkRelay relay = new ChatChunkRelay(
            MAPPER, new JacksonMessageEventCodec(MAPPER), new ChatAnswerWriter(MAPPER, InstantSource.system()));
    private byte[] upstream;

    @Setup
    public void prepare() {
        upstream = ChatStreams.sse(1_000);
    }

    @Benchmark
    public StreamOutcome chatToChat() {
        return relay.relay(
                ChatStreams.open(upstream, MAPPER),
                OutputStream.nullOutputStream(),
                "bench",
                true,
                failure -> MAPPER.createObjectNode());
    }
}
