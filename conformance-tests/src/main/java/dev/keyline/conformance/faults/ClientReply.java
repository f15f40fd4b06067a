package dev.keyline.conformance.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a client got from the gateway, read the way an SDK reads it: the status, the body, and for a stream each
 * event with its data parsed as JSON (or not: a client's parser would break there).
 *
 * @param status    the HTTP status, or 0 when the request got no answer in time
 * @param body      the whole body as text
 * @param stream    whether the answer was an event stream
 * @param elapsedMs from sending to the end of the body
 * @param door      the front door that answered: its shapes are the ones judged
 */
record ClientReply(int status, String body, boolean stream, long elapsedMs, Door door) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as the client saw it. */
    record Event(String type, String data, JsonNode json) {
        boolean parses() {
            return json != null;
        }
    }

    static ClientReply noAnswer(long elapsedMs, Door door) {
        return new ClientReply(0, "", false, elapsedMs, door);
    }

    /** Chat completions' last line of a whole stream; not JSON, and not an error. */
    private static final String DONE = "[DONE]";

    List<Event> events() {
        List<Event> events = new ArrayList<>();
        if (!stream) {
            return events;
        }
        for (String frame : body.replace("\r\n", "\n").split("\n\n")) {
            String type = "message";
            StringBuilder data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5).stripLeading();
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                }
            }
            if (data != null) {
                String text = data.toString();
                if (door == Door.CHAT) {
                    // Chunks have no event names: an error chunk is one with an error member.
                    JsonNode json = text.equals(DONE) ? JSON.nullNode() : parse(text);
                    type = text.equals(DONE) ? DONE : json != null && json.has("error") ? "error" : "chunk";
                    events.add(new Event(type, text, json));
                } else {
                    events.add(new Event(type, text, parse(text)));
                }
            }
        }
        return events;
    }

    /** @return whether every event's data parsed and the stream ended with {@code message_stop} and nothing after */
    boolean completeStream() {
        List<Event> events = events();
        String last = door == Door.CHAT ? DONE : "message_stop";
        boolean complete = !events.isEmpty()
                && events.stream().allMatch(Event::parses)
                && events.getLast().type().equals(last)
                && events.stream().noneMatch(e -> e.type().equals("error"));
        if (door == Door.CHAT) {
            // One choice, finished once: a second finish_reason would be a second answer spliced on.
            return complete
                    && events.stream()
                                    .filter(e -> e.json() != null
                                            && e.json()
                                                    .path("choices")
                                                    .path(0)
                                                    .path("finish_reason")
                                                    .isTextual())
                                    .count()
                            == 1;
        }
        return complete;
    }

    /** @return the stream's error event, when it ended with one */
    Optional<Event> errorEvent() {
        List<Event> events = events();
        return events.isEmpty() || !events.getLast().type().equals("error")
                ? Optional.empty()
                : Optional.of(events.getLast());
    }

    /** @return whether every event the client got is JSON it can read */
    boolean everyEventParses() {
        return events().stream().allMatch(Event::parses);
    }

    /** @return the answer's text: the JSON answer's first text block, or the stream's text deltas joined */
    String text() {
        if (stream) {
            StringBuilder text = new StringBuilder();
            for (Event event : events()) {
                if (event.json() != null) {
                    text.append(
                            door == Door.CHAT
                                    ? event.json()
                                            .path("choices")
                                            .path(0)
                                            .path("delta")
                                            .path("content")
                                            .asText("")
                                    : event.json().path("delta").path("text").asText(""));
                }
            }
            return text.toString();
        }
        JsonNode root = parse(body);
        if (root == null) {
            return "";
        }
        return door == Door.CHAT
                ? root.path("choices").path(0).path("message").path("content").asText("")
                : root.path("content").path(0).path("text").asText("");
    }

    /**
     * @return {@code error.type} and {@code error.message} of an error in the door's shape (the body, or a stream's
     *     error): Anthropic's {@code {"type":"error","error":{…}}}, or OpenAI's {@code {"error":{…}}}
     */
    Optional<String[]> anthropicError() {
        JsonNode root = stream ? errorEvent().map(Event::json).orElse(null) : parse(body);
        if (root == null
                || (door == Door.MESSAGES && !root.path("type").asText().equals("error"))
                || !root.path("error").path("type").isTextual()
                || !root.path("error").path("message").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new String[] {
            root.path("error").path("type").asText(),
            root.path("error").path("message").asText()
        });
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    String summary() {
        String shown = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        return "HTTP " + status + " after " + elapsedMs + " ms: " + shown.replace("\n", "⏎");
    }
}
