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
 */
record ClientReply(int status, String body, boolean stream, long elapsedMs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as the client saw it. */
    record Event(String type, String data, JsonNode json) {
        boolean parses() {
            return json != null;
        }
    }

    static ClientReply noAnswer(long elapsedMs) {
        return new ClientReply(0, "", false, elapsedMs);
    }

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
                events.add(new Event(type, data.toString(), parse(data.toString())));
            }
        }
        return events;
    }

    /** @return whether every event's data parsed and the stream ended with {@code message_stop} and nothing after */
    boolean completeStream() {
        List<Event> events = events();
        return !events.isEmpty()
                && events.stream().allMatch(Event::parses)
                && events.getLast().type().equals("message_stop")
                && events.stream().noneMatch(e -> e.type().equals("error"));
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
                    text.append(event.json().path("delta").path("text").asText(""));
                }
            }
            return text.toString();
        }
        JsonNode root = parse(body);
        return root == null ? "" : root.path("content").path(0).path("text").asText("");
    }

    /** @return {@code error.type} and {@code error.message} of an Anthropic error (the body, or a stream's error) */
    Optional<String[]> anthropicError() {
        JsonNode root = stream ? errorEvent().map(Event::json).orElse(null) : parse(body);
        if (root == null
                || !root.path("type").asText().equals("error")
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
