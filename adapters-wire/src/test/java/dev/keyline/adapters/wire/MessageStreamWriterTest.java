package dev.keyline.adapters.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.testing.StreamFolder;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageStreamWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String ANSWER = """
            {"id":"msg_1","type":"message","role":"assistant","model":"kimi-k2.5",
             "content":[
               {"type":"thinking","thinking":"Search first.","signature":"c2ln"},
               {"type":"text","text":"Let me search."},
               {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"java 25"}},
               {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[
                 {"type":"web_search_result","url":"https://openjdk.org","title":"JDK 25","encrypted_content":"e30"}]},
               {"type":"text","text":"JDK 25 is out.","citations":[{"type":"web_search_result_location",
                 "url":"https://openjdk.org","title":"JDK 25","encrypted_index":"x","cited_text":"JDK 25"}]},
               {"type":"tool_use","id":"toolu_9","name":"get_weather","input":{"city":"Paris","days":[1,2]}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":40,"output_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":3,
                      "server_tool_use":{"web_search_requests":1,"web_fetch_requests":0}}}
            """;

    @Test
    void theEvents_foldBackIntoTheSameMessage() throws Exception {
        MessageResponse response = new MessageResponseCodec(MAPPER).read(ANSWER.getBytes(StandardCharsets.UTF_8));

        List<StreamEvent> events = new MessageStreamWriter(MAPPER).events(response);
        StringBuilder sse = new StringBuilder();
        events.forEach(e -> sse.append("event: ")
                .append(e.type())
                .append("\ndata: ")
                .append(e.data())
                .append("\n\n"));

        assertEquals(MAPPER.readTree(ANSWER), StreamFolder.fold(sse.toString()));
        assertEquals("message_start", events.getFirst().type());
        assertEquals("message_stop", events.getLast().type());
    }
}
