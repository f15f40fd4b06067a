package dev.keyline.adapters.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageResponseCodecTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MessageResponseCodec codec = new MessageResponseCodec(MAPPER);

    /** Shaped like Anthropic's documented web-search answer. */
    private static final String WEB_SEARCH_ANSWER = """
            {"id":"msg_a930390d3a","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[
               {"type":"text","text":"I'll search for when Claude Shannon was born."},
               {"type":"server_tool_use","id":"srvtoolu_01WYG3","name":"web_search","input":{"query":"claude shannon birth date"}},
               {"type":"web_search_tool_result","tool_use_id":"srvtoolu_01WYG3","content":[
                 {"type":"web_search_result","url":"https://en.wikipedia.org/wiki/Claude_Shannon",
                  "title":"Claude Shannon - Wikipedia","encrypted_content":"EqgfCioIARgB","page_age":"April 30, 2025"}]},
               {"type":"text","text":"Claude Shannon was born on April 30, 1916","citations":[
                 {"type":"web_search_result_location","url":"https://en.wikipedia.org/wiki/Claude_Shannon",
                  "title":"Claude Shannon - Wikipedia","encrypted_index":"Eo8BCioIAhgB","cited_text":"Claude Elwood Shannon"}]}],
             "stop_reason":"end_turn","stop_sequence":null,"container":null,
             "usage":{"input_tokens":6039,"output_tokens":931,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                      "server_tool_use":{"web_search_requests":1,"web_fetch_requests":0},"service_tier":"standard"}}
            """;

    @Test
    void aRoundTrip_keepsTheAnswerIntact() throws Exception {
        MessageResponse response = codec.read(WEB_SEARCH_ANSWER.getBytes(StandardCharsets.UTF_8));

        assertEquals(MAPPER.readTree(WEB_SEARCH_ANSWER), MAPPER.readTree(codec.write(response)));
        assertEquals(1, response.usage().webSearchRequests());
        assertEquals("end_turn", response.stopReason().orElseThrow());
        assertInstanceOf(
                ContentBlock.WebSearchToolResult.class, response.content().get(2));
    }

    @Test
    void somethingElse_isNotTakenForAMessage() {
        assertThrows(WireFormatException.class, () -> codec.read("""
                {"type":"error","error":{"type":"api_error","message":"x"}}""".getBytes(StandardCharsets.UTF_8)));
        assertThrows(WireFormatException.class, () -> codec.read("<html>".getBytes(StandardCharsets.UTF_8)));
    }
}
