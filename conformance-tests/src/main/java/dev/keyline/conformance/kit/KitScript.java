package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the fake model finds its script: a marker ({@code kit:<rounds>:<perRound>:<case id>[:…]}) in the client's own
 * text, which every correct gateway keeps, whatever protocol it speaks upstream. Anthropic's {@code metadata.user_id}
 * (or chat's {@code user}) is read only when no text carries one: a gateway may rightly drop both.
 */
final class KitScript {

    private static final Pattern MARKER = Pattern.compile("kit:[0-9]+:[0-9]+:[A-Za-z0-9_-]+(?::[A-Za-z0-9_-]+)*");
    private static final String NONE = "kit:0:0:none";

    private KitScript() {}

    /** @return the text a client request carries its marker in */
    static String tagged(String text, String marker) {
        return text + " [" + marker + "]";
    }

    /**
     * @return the script of the client's latest own turn that has one (a next turn replays an earlier turn's text,
     *         which carries that earlier case's marker), else the metadata's, else a plain answer
     */
    static String of(JsonNode request) {
        List<JsonNode> messages = new ArrayList<>();
        request.path("messages").forEach(messages::add);
        for (JsonNode message : messages.reversed()) {
            if (!message.path("role").asText().equals("user")) {
                continue;
            }
            Matcher found = MARKER.matcher(text(message.path("content")));
            if (found.find()) {
                return found.group();
            }
        }
        return request.path("metadata")
                .path("user_id")
                .asText(request.path("user").asText(NONE));
    }

    /** @return whether a user message is the client's own turn, not tool results a loop sends back */
    static boolean clientsOwn(JsonNode message) {
        JsonNode content = message.path("content");
        if (!content.isArray()) {
            return true;
        }
        for (JsonNode block : content) {
            if (block.path("type").asText().equals("tool_result")) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (block.path("type").asText().equals("text")) {
                text.append(block.path("text").asText()).append('\n');
            }
        }
        return text.toString();
    }
}
