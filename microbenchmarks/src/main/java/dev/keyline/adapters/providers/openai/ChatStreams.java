package dev.keyline.adapters.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.ports.out.EventStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A chat completions stream as the OpenAI-compatible adapter reads it, for benchmarks outside this package. */
public final class ChatStreams {

    private ChatStreams() {}

    /** @return a streamed answer of {@code chunks} text chunks, a finish chunk, a usage chunk and [DONE] */
    public static byte[] sse(int chunks) {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            sse.append("data: {\"id\":\"chatcmpl-b\",\"object\":\"chat.completion.chunk\",\"created\":1764400000,")
                    .append("\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token ")
                    .append(i)
                    .append(" \"},\"finish_reason\":null}]}\n\n");
        }
        sse.append(
                "data: {\"id\":\"chatcmpl-b\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sse.append("data: {\"id\":\"chatcmpl-b\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":")
                .append(chunks)
                .append("}}\n\n");
        sse.append("data: [DONE]\n\n");
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @return the adapter's event stream over {@code sse}, as a streamed chat request's upstream gives it */
    public static EventStream open(byte[] sse, ObjectMapper mapper) {
        MessagesRequest request = new MessagesRequest(
                "bench",
                1024,
                List.of(Message.of(Role.USER, List.of(new ContentBlock.Text("hello", RawJson.empty())))),
                List.of(),
                Optional.empty(),
                true,
                RawJson.empty());
        return new OpenAiChunkStream(
                new ByteArrayInputStream(sse),
                () -> {},
                ChatTranslationBenchmark.DEPLOYMENT,
                mapper,
                request,
                Duration.ofSeconds(30));
    }
}
