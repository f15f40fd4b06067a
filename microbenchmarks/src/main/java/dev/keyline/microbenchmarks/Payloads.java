package dev.keyline.microbenchmarks;

import java.nio.charset.StandardCharsets;

/**
 * Bodies shaped like real traffic: a coding agent's request (system blocks with cache control, a score of tools
 * with JSON schemas, a long conversation of text, tool calls and tool results), a model's answer, and a stream.
 */
public final class Payloads {

    private Payloads() {}

    /** @return a request of about {@code turns} exchanges; 40 turns make about 60 KB, like an agent mid-task */
    public static byte[] agentRequest(int turns) {
        StringBuilder json = new StringBuilder(1 << 16);
        json.append("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,\"stream\":true,")
                .append("\"system\":[{\"type\":\"text\",\"text\":\"")
                .append("You are a coding agent. ".repeat(80))
                .append("\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"tools\":[");
        for (int t = 0; t < 20; t++) {
            json.append(t == 0 ? "" : ",")
                    .append("{\"name\":\"tool_")
                    .append(t)
                    .append("\",\"description\":\"")
                    .append("Does one careful thing with the workspace. ".repeat(6))
                    .append("\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},")
                    .append("\"limit\":{\"type\":\"integer\",\"minimum\":1},\"flags\":{\"type\":\"array\",\"items\":")
                    .append("{\"type\":\"string\"}}},\"required\":[\"path\"]}}");
        }
        json.append(",{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":8}],\"messages\":[");
        for (int turn = 0; turn < turns; turn++) {
            String id = "toolu_" + turn;
            json.append(turn == 0 ? "" : ",")
                    .append("{\"role\":\"user\",\"content\":[")
                    .append(
                            turn == 0
                                    ? ""
                                    : "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_" + (turn - 1)
                                            + "\",\"content\":\"" + "line of file output — with ünïcode\\n".repeat(12)
                                            + "\"},")
                    .append("{\"type\":\"text\",\"text\":\"Please look at step ")
                    .append(turn)
                    .append(" and continue.\"}]},")
                    .append("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"")
                    .append("I will read the next file to understand the change. ".repeat(3))
                    .append("\"},{\"type\":\"tool_use\",\"id\":\"")
                    .append(id)
                    .append("\",\"name\":\"tool_")
                    .append(turn % 20)
                    .append("\",\"input\":{\"path\":\"src/main/java/App")
                    .append(turn)
                    .append(".java\",\"limit\":200}}]}");
        }
        json.append(",{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_")
                .append(turns - 1)
                .append("\",\"content\":\"done\"}]}],\"metadata\":{\"user_id\":\"user_0123456789abcdef\"}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @return a model's answer: text, a tool call, usage with cache figures */
    public static byte[] answer() {
        return ("{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\""
                        + "Here is what I found in the file, and what I will change next. ".repeat(12) + "\"},"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"tool_3\",\"input\":{\"path\":\"src/App.java\","
                        + "\"limit\":50}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":2095,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":48211,\"output_tokens\":503,"
                        + "\"service_tier\":\"standard\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** @return an event stream of {@code deltas} text deltas between its opening and closing events */
    public static byte[] stream(int deltas) {
        StringBuilder sse = new StringBuilder(deltas * 130 + 1024);
        event(
                sse,
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":2095,\"output_tokens\":1}}}");
        event(
                sse,
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"text\",\"text\":\"\"}}");
        for (int i = 0; i < deltas; i++) {
            event(
                    sse,
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                            + "{\"type\":\"text_delta\",\"text\":\"token " + i + " \"}}");
        }
        event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(
                sse,
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + deltas + "}}");
        event(sse, "message_stop", "{\"type\":\"message_stop\"}");
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void event(StringBuilder sse, String type, String data) {
        sse.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
    }
}
