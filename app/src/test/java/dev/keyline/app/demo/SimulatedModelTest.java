package dev.keyline.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The simulated model plays Claude Code's turn as Claude Code 2.1.330 sends it (captured; see the real-clients
 * notes): WebSearch as a client tool, or deferred behind ToolSearch; the question after a system reminder; a
 * {@code role: system} message last.
 */
class SimulatedModelTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SimulatedModel model = new SimulatedModel(MAPPER);

    private static final String QUESTION = """
            {"role":"user","content":[{"type":"text","text":"<system-reminder>\\nAttribution…\\n</system-reminder>\\n"},
                                      {"type":"text","text":"Search the web: when was Java 25 released?"}]}""";
    private static final String PER_TURN = """
            {"role":"system","content":[{"type":"text","text":"# Environment"}]}""";

    @Test
    void askedToSearch_withWebSearchOffered_itCallsWebSearch() throws Exception {
        JsonNode answer = answer(tools("WebSearch", "Bash"), QUESTION + "," + PER_TURN);

        assertEquals("tool_use", answer.path("stop_reason").asText());
        JsonNode use = answer.path("content").get(1);
        assertEquals("WebSearch", use.path("name").asText());
        assertEquals(
                "Search the web: when was Java 25 released?",
                use.at("/input/query").asText());
    }

    @Test
    void withWebSearchDeferred_itLoadsItThroughToolSearch_thenCallsIt() throws Exception {
        JsonNode load = answer(tools("ToolSearch"), QUESTION);
        JsonNode loadCall = load.path("content").get(1);
        assertEquals("ToolSearch", loadCall.path("name").asText());
        assertEquals("select:WebSearch", loadCall.at("/input/query").asText());

        JsonNode search = answer(
                tools("ToolSearch", "WebSearch"),
                QUESTION + ",{\"role\":\"assistant\",\"content\":" + load.path("content") + "},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
                        + loadCall.path("id").asText() + "\",\"content\":[{\"type\":\"tool_reference\","
                        + "\"tool_name\":\"WebSearch\"}]},{\"type\":\"text\",\"text\":\"Tool loaded.\"}]}");

        assertEquals("WebSearch", search.path("content").get(1).path("name").asText());
    }

    @Test
    void givenWebSearchsResult_itAnswersFromIt() throws Exception {
        JsonNode call = answer(tools("WebSearch"), QUESTION).path("content").get(1);
        String result =
                "Web search results for query: \\\"java 25\\\"\\n\\nLinks: [{\\\"title\\\":\\\"Java 25 released\\\","
                        + "\\\"url\\\":\\\"https://openjdk.example/jdk/25\\\"}]\\n\\nJDK 25 reached general availability on 16"
                        + " September 2025.\\n\\nREMINDER: You MUST include the sources above";

        JsonNode answer = answer(
                tools("WebSearch"),
                QUESTION + ",{\"role\":\"assistant\",\"content\":[" + call + "]},{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"tool_result\",\"tool_use_id\":\""
                        + call.path("id").asText()
                        + "\",\"content\":\"" + result + "\"}]}," + PER_TURN);

        assertEquals("end_turn", answer.path("stop_reason").asText());
        String text = answer.at("/content/0/text").asText();
        assertTrue(text.contains("JDK 25 reached general availability on 16 September 2025."), text);
        assertTrue(!text.contains("REMINDER"), text);
    }

    private JsonNode answer(String tools, String messages) throws Exception {
        SimulatedModel.Reply reply =
                model.answer(MAPPER.readTree("{\"model\":\"keyline-demo\",\"max_tokens\":100,\"tools\":" + tools
                        + ",\"messages\":[" + messages + "]}"));
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private static String tools(String... names) {
        StringBuilder json = new StringBuilder("[");
        for (String name : names) {
            json.append(json.length() > 1 ? "," : "")
                    .append("{\"name\":\"")
                    .append(name)
                    .append("\",\"input_schema\":{\"type\":\"object\"}}");
        }
        return json.append(']').toString();
    }
}
