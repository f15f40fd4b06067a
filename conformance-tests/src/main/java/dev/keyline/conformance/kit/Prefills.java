package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the kit's and the crash test's fake models continue an answer they were given the start of (a prefill, or
 * vLLM's final assistant message): where the request's final assistant turn leaves the answer, whether the Messages
 * API would refuse it, and which of the answer's deltas are still to be sent.
 */
public final class Prefills {

    /**
     * One delta still to be sent.
     *
     * @param index its place among the whole answer's deltas (a fault is scripted at a place)
     * @param text  its text; the first may be the rest of a delta the prefill ended inside
     */
    public record Piece(int index, String text) {}

    private Prefills() {}

    /** @return the text of the request's final assistant turn, or "" when the client's turn is last */
    public static String of(JsonNode request) {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.path(messages.size() - 1);
        if (!last.path("role").asText().equals("assistant")) {
            return "";
        }
        JsonNode content = last.path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(block -> text.append(block.path("text").asText("")));
        return text.toString();
    }

    /** @return why the Messages API would refuse {@code prefill} as the start of {@code answer}, or empty */
    public static Optional<String> refusal(String answer, String prefill) {
        if (!prefill.equals(prefill.stripTrailing())) {
            return Optional.of("final assistant content cannot end with trailing whitespace");
        }
        return answer.startsWith(prefill)
                ? Optional.empty()
                : Optional.of("the final assistant turn is not the start of this answer");
    }

    /** @return the deltas of the answer after {@code prefill}, which the answer starts with */
    public static List<Piece> after(List<String> deltas, String prefill) {
        List<Piece> rest = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < deltas.size(); i++) {
            String delta = deltas.get(i);
            int end = offset + delta.length();
            if (end > prefill.length()) {
                rest.add(new Piece(i, delta.substring(Math.max(0, prefill.length() - offset))));
            }
            offset = end;
        }
        return rest;
    }
}
