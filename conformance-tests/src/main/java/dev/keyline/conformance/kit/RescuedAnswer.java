package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fake model's side of {@code stream-rescue-honest}: a text answer of {@link #DELTAS} deltas that the model
 * continues from wherever a request's final assistant turn (a prefill) leaves it, as Claude does. The first stream of
 * a case breaks at delta {@code k} ({@code rescue-<kind>-<k>} in the case script): the body ends there ({@code cut}),
 * an {@code overloaded_error} event stands there ({@code evterr}), or an event that is not JSON does, and the stream
 * goes on ({@code malformed}). A prefill that is not the answer's start, or ends in whitespace, is refused with the
 * Messages API's 400.
 */
final class RescuedAnswer {

    static final int DELTAS = 30;
    static final List<String> KINDS = List.of("cut", "evterr", "malformed");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RescuedAnswer() {}

    /** @return the whole answer of a case */
    static String text(String caseId) {
        return String.join("", deltas(caseId));
    }

    static List<String> deltas(String caseId) {
        List<String> deltas = new ArrayList<>();
        deltas.add("Case " + caseId + " says:");
        for (int i = 1; i < DELTAS; i++) {
            deltas.add(i == DELTAS - 1 ? " done." : " word" + i);
        }
        return deltas;
    }

    /**
     * @param fault the script's fault ({@code rescue-cut-7}), or empty for a whole continuation
     * @return the event stream of the answer from the prefill on
     */
    static String stream(String caseId, String model, String prefill, Optional<String> fault) {
        String kind = fault.map(f -> f.split("-")[1]).orElse("none");
        int at = fault.map(f -> Integer.parseInt(f.split("-")[2])).orElse(-1);
        StringBuilder sse = new StringBuilder();
        ObjectNode start = MAPPER.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message")
                .put("id", "msg_rescue_" + caseId)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 10).put("output_tokens", 1);
        event(sse, "message_start", start.toString());
        event(
                sse,
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        int sent = 0;
        for (Prefills.Piece rest : Prefills.after(deltas(caseId), prefill)) {
            if (rest.index() == at) {
                switch (kind) {
                    case "cut" -> {
                        return sse.toString(); // the body ends here: no block end, no stop reason
                    }
                    case "evterr" -> {
                        event(
                                sse,
                                "error",
                                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                                        + "\"message\":\"Overloaded\"}}");
                        return sse.toString();
                    }
                    default ->
                        event(
                                sse,
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":0," + "\"delta\":{\"type\":\"text_de");
                }
            }
            ObjectNode piece =
                    MAPPER.createObjectNode().put("type", "content_block_delta").put("index", 0);
            piece.putObject("delta").put("type", "text_delta").put("text", rest.text());
            event(sse, "content_block_delta", piece.toString());
            sent++;
        }
        event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(
                sse,
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + sent + "}}");
        event(sse, "message_stop", "{\"type\":\"message_stop\"}");
        return sse.toString();
    }

    /** @return the whole answer as a message, for a deployment that cannot be asked to continue (chat completions) */
    static ObjectNode message(String caseId, String model) {
        ObjectNode message = MAPPER.createObjectNode()
                .put("id", "msg_rescue_" + caseId)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        message.putArray("content").addObject().put("type", "text").put("text", text(caseId));
        message.put("stop_reason", "end_turn").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 10).put("output_tokens", DELTAS);
        return message;
    }

    private static void event(StringBuilder sse, String type, String data) {
        sse.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
    }
}
