package dev.keyline.adapters.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessagesRequestCodecTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MessagesRequestCodec codec = new MessagesRequestCodec(MAPPER);

    /** A request using every block type and tool kind, with members the gateway does not model. */
    static final String FULL_REQUEST = """
            {"model":"kimi-k2.5-tencent-claude","max_tokens":1024,
             "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
             "temperature":0.7,"metadata":{"user_id":"u-1"},"thinking":{"type":"enabled","budget_tokens":2048},
             "messages":[
               {"role":"user","content":"What is new in Java 25?"},
               {"role":"assistant","content":[
                 {"type":"thinking","thinking":"Let me search.","signature":"sig=="},
                 {"type":"redacted_thinking","data":"opaque"},
                 {"type":"text","text":"Searching.","citations":null},
                 {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"java 25"}},
                 {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[
                   {"type":"web_search_result","url":"https://openjdk.org/projects/jdk/25/","title":"JDK 25",
                    "encrypted_content":"Eq==","page_age":"September 16, 2025"}]},
                 {"type":"web_search_tool_result","tool_use_id":"srvtoolu_2",
                  "content":{"type":"web_search_tool_result_error","error_code":"max_uses_exceeded"}},
                 {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
               {"role":"user","content":[
                 {"type":"tool_result","tool_use_id":"toolu_1","content":"sunny","is_error":false},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0="}},
                 {"type":"document","source":{"type":"text","media_type":"text/plain","data":"notes"}},
                 {"type":"text","text":"And in Paris? 🌧️ naïve","cache_control":{"type":"ephemeral","ttl":"1h"}}]}],
             "tools":[
               {"name":"get_weather","description":"Weather by city","input_schema":{"type":"object",
                "properties":{"city":{"type":"string"}},"required":["city"]},"cache_control":{"type":"ephemeral"}},
               {"type":"web_search_20250305","name":"web_search","max_uses":3,"allowed_domains":["openjdk.org"],
                "user_location":{"type":"approximate","country":"FR"}},
               {"type":"web_fetch_20250910","name":"web_fetch","max_uses":1}],
             "tool_choice":{"type":"auto","disable_parallel_tool_use":true},
             "stream":true,
             "x_vendor_flag":{"nested":[1,2.50,{"deep":null}]}}
            """;

    @Test
    void aRoundTrip_keepsEveryMemberTheClientSent() throws Exception {
        byte[] written = codec.write(codec.read(bytes(FULL_REQUEST)));

        assertEquals(MAPPER.readTree(FULL_REQUEST), normalise(MAPPER.readTree(written)));
    }

    @Test
    void reading_typesWhatTheGatewayActsOn() {
        MessagesRequest request = codec.read(bytes(FULL_REQUEST));

        assertEquals("kimi-k2.5-tencent-claude", request.model());
        assertEquals(1024, request.maxTokens());
        assertTrue(request.stream());
        assertInstanceOf(ToolDefinition.Client.class, request.tools().get(0));
        ToolDefinition.WebSearch search =
                assertInstanceOf(ToolDefinition.WebSearch.class, request.tools().get(1));
        assertEquals(3, search.maxUses().getAsInt());
        assertInstanceOf(ToolDefinition.OtherServer.class, request.tools().get(2));
        assertInstanceOf(
                ContentBlock.Unknown.class, request.messages().get(2).content().get(2));
        assertEquals(
                new ContentBlock.Text("What is new in Java 25?", RawJson.empty()),
                request.messages().get(0).content().getFirst());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing model          | {"max_tokens":1,"messages":[{"role":"user","content":"x"}]}                    | model: field required
            model not a string     | {"model":7,"max_tokens":1,"messages":[{"role":"user","content":"x"}]}          | model: must be a string
            zero max_tokens        | {"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}        | max_tokens: must be a positive integer
            fractional max_tokens  | {"model":"m","max_tokens":1.5,"messages":[{"role":"user","content":"x"}]}      | max_tokens: must be a positive integer
            no messages            | {"model":"m","max_tokens":1}                                                   | messages: field required
            empty messages         | {"model":"m","max_tokens":1,"messages":[]}                                     | messages: at least one message is required
            empty role             | {"model":"m","max_tokens":1,"messages":[{"role":"","content":"x"}]}            | messages.0.role: must not be empty
            role not a string      | {"model":"m","max_tokens":1,"messages":[{"role":1,"content":"x"}]}             | messages.0.role: must be a string
            block without type     | {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"text":"x"}]}]} | messages.0.content.0.type: field required
            text without text      | {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text"}]}]} | messages.0.content.0.text: field required
            content a number       | {"model":"m","max_tokens":1,"messages":[{"role":"user","content":3}]}          | messages.0.content: must be a string or an array
            stream not a boolean   | {"model":"m","max_tokens":1,"stream":"yes","messages":[{"role":"user","content":"x"}]} | stream: must be a boolean
            both domain lists      | {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_20250305","name":"web_search","allowed_domains":["a.com"],"blocked_domains":["b.com"]}]} | tools.0: allowed_domains and blocked_domains
            client tool no schema  | {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"t"}]} | tools.0.input_schema: field required
            duplicate member       | {"model":"m","model":"n","max_tokens":1,"messages":[{"role":"user","content":"x"}]} | the body is not valid JSON
            trailing garbage       | {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}]} {}     | the body is not valid JSON
            not an object          | [1,2]                                                                          | the request body must be a JSON object
            """)
    void invalidRequests_nameThePathAndTheProblem(String name, String body, String expected) {
        WireFormatException error = assertThrows(WireFormatException.class, () -> codec.read(bytes(body)));

        assertTrue(error.getMessage().startsWith(expected), () -> "got: " + error.getMessage());
    }

    @Test
    void aRoleFromABeta_isPassedOn() throws Exception {
        String body = """
                {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"},{"role":"system","content":"be brief"}]}""";

        JsonNode written = MAPPER.readTree(codec.write(codec.read(bytes(body)))).at("/messages/1");

        assertEquals("system", written.get("role").asText());
        assertEquals("be brief", written.get("content").asText(), "the client's own bytes");
    }

    @Test
    void aSurrogateSpelledInRawBytes_isRefusedLikeAnEscapedOne() {
        byte[] head = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"a"
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 3 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xED; // U+D800 as three bytes: a lone surrogate, not UTF-8
        body[head.length + 1] = (byte) 0xA0;
        body[head.length + 2] = (byte) 0x80;
        System.arraycopy(tail, 0, body, head.length + 3, tail.length);

        assertThrows(WireFormatException.class, () -> codec.read(body));
    }

    @Test
    void malformedJson_isDescribedInKeylinesWords_withWhereItBroke() {
        WireFormatException cut = assertThrows(WireFormatException.class, () -> codec.read(bytes("{\"model\":")));
        WireFormatException duplicate = assertThrows(
                WireFormatException.class, () -> codec.read(bytes("{\"model\":\"m\",\n \"model\":\"n\"}")));

        assertTrue(
                cut.getMessage().startsWith("the body is not valid JSON (line 1, column 10): the body ends too early"),
                cut.getMessage());
        assertEquals("the body is not valid JSON (line 2, column 9): Duplicate field 'model'", duplicate.getMessage());
        for (String message : List.of(cut.getMessage(), duplicate.getMessage())) {
            assertFalse(message.contains("Source"), message);
            assertFalse(message.contains("REDACTED"), message);
            assertFalse(message.contains("StreamReadFeature"), message);
        }
    }

    /** A large base64 PDF is one long string; Jackson's default refuses strings over 20 million characters. */
    @Test
    void aThirtyMegabyteString_isRead_withTheGatewaysMapper() {
        MessagesRequestCodec gatewayCodec = new MessagesRequestCodec(WireJson.mapper(32L * 1024 * 1024));
        String pdf = "A".repeat(30 * 1024 * 1024);

        MessagesRequest request = gatewayCodec.read(bytes("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":"
                + "\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":"
                + "\"application/pdf\",\"data\":\"" + pdf + "\"}}]}]}"));

        assertEquals(1, request.messages().getFirst().content().size());
    }

    @Test
    void anEmptyBody_isReportedAsSuch() {
        assertThrows(WireFormatException.class, () -> codec.read(new byte[0]));
    }

    /** The string shorthand of message content is written as one text block; the API treats both alike. */
    private static JsonNode normalise(JsonNode written) throws Exception {
        String text = written.toString()
                .replace(
                        "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is new in Java 25?\"}]}",
                        "{\"role\":\"user\",\"content\":\"What is new in Java 25?\"}");
        return MAPPER.readTree(text);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
