package dev.keyline.domain.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MessageModelTest {

    private static final List<Message> HELLO = List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("hello"))));

    @Test
    void rawJson_isADeepCopy_thatCannotChangeAfterwards() {
        List<Object> list = new ArrayList<>(List.of("a"));
        Map<String, Object> nested = new HashMap<>(Map.of("list", list));
        Map<String, Object> source = new HashMap<>(Map.of("nested", nested));

        RawJson raw = new RawJson(source);
        list.add("b");
        nested.put("other", 1);

        assertEquals(Map.of("nested", Map.of("list", List.of("a"))), raw.fields());
        assertThrows(UnsupportedOperationException.class, () -> raw.fields().put("x", 1));
    }

    @Test
    void rawJson_keepsNullsAndNumbers_andRefusesNonJsonValues() {
        Map<String, Object> source = new HashMap<>();
        source.put("nothing", null);
        source.put("n", new BigDecimal("0.1"));

        assertEquals(source, new RawJson(source).fields());
        assertThrows(IllegalArgumentException.class, () -> new RawJson(Map.of("t", new Object())));
    }

    @Test
    void rawJson_withAndWithout_returnCopies() {
        RawJson raw = RawJson.empty().with("a", 1).with("b", "x");

        assertEquals(List.of("a", "b"), List.copyOf(raw.fields().keySet()));
        assertEquals(Map.of("b", "x"), raw.without("a").fields());
        assertEquals(Optional.empty(), raw.get("missing"));
    }

    @Test
    void aRequest_needsAModelTokensAndMessages() {
        assertThrows(IllegalArgumentException.class, () -> request(" ", 10, HELLO));
        assertThrows(IllegalArgumentException.class, () -> request("m", 0, HELLO));
        assertThrows(IllegalArgumentException.class, () -> request("m", 10, List.of()));
    }

    @Test
    void withModel_changesOnlyTheModel() {
        MessagesRequest original = request("kimi-k2.5-tencent-claude", 64, HELLO);

        MessagesRequest bound = original.withModel("kimi-k2.5");

        assertEquals("kimi-k2.5", bound.model());
        assertEquals(original, bound.withModel(original.model()));
    }

    @Test
    void webSearchTypes_areRecognisedByTheirVersionedName() {
        assertEquals(true, ToolDefinition.isWebSearchType("web_search_20250305"));
        assertEquals(true, ToolDefinition.isWebSearchType("web_search_20260318"));
        assertEquals(false, ToolDefinition.isWebSearchType("web_fetch_20250910"));
        assertEquals(false, ToolDefinition.isWebSearchType("custom"));
        assertEquals(false, ToolDefinition.isWebSearchType(null));
    }

    @Test
    void aWebSearchTool_cannotBothAllowAndBlockDomains() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ToolDefinition.WebSearch(
                        "web_search_20250305",
                        "web_search",
                        OptionalInt.empty(),
                        List.of("a.com"),
                        List.of("b.com"),
                        Optional.empty(),
                        RawJson.empty()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ToolDefinition.WebSearch(
                        "web_search_20250305",
                        "web_search",
                        OptionalInt.of(0),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        RawJson.empty()));
    }

    @Test
    void usage_sumsEveryCount() {
        Usage hop1 = new Usage(10, 5, 1, 2, 1, 0, RawJson.empty());
        Usage hop2 = new Usage(20, 7, 0, 3, 2, 1, RawJson.empty());

        assertEquals(new Usage(30, 12, 1, 5, 3, 1, RawJson.empty()), hop1.plus(hop2));
        assertThrows(IllegalArgumentException.class, () -> new Usage(-1, 0, 0, 0, 0, 0, RawJson.empty()));
    }

    @Test
    void blocksRequireTheirIds() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ContentBlock.ToolUse("", "get_weather", RawJson.empty(), RawJson.empty()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ContentBlock.ToolResult(" ", new ContentBlock.ToolResultContent.Text("x"), RawJson.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ContentBlock.Unknown("", RawJson.empty()));
    }

    @Test
    void protocolHeaders_defaultTheVersion_andRefuseHeaderInjection() {
        assertEquals("2023-06-01", ProtocolHeaders.defaults().versionOrDefault());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ProtocolHeaders(Optional.of("2023-06-01\r\nx-api-key: k"), List.of()));
    }

    private static MessagesRequest request(String model, int maxTokens, List<Message> messages) {
        return new MessagesRequest(model, maxTokens, messages, List.of(), Optional.empty(), false, RawJson.empty());
    }
}
