package dev.keyline.adapters.providers.common;

import io.helidon.common.buffers.DataReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits an event-stream body into events as the SSE grammar says: {@code event:} names the next event, {@code data:}
 * lines are joined with line breaks, a blank line ends the event; comments, {@code id} and {@code retry} carry
 * nothing a Messages or chat client needs.
 */
public final class SseFrameReader {

    /** One event: its name (null when it had none) and its data. */
    public record Frame(String name, String data) {}

    private final SseLineReader lines;

    public SseFrameReader(InputStream body) {
        this.lines = new SseLineReader(body);
    }

    /** @return the next event with data, or null at the end of the body */
    public Frame next() throws IOException {
        String name = null;
        StringBuilder data = null;
        while (true) {
            String line;
            try {
                line = lines.readLine();
            } catch (DataReader.InsufficientDataAvailableException e) {
                line = null; // Helidon reports the end of a close-delimited body this way.
            }
            if (line == null) {
                return data == null ? null : new Frame(name, data.toString());
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return new Frame(name, data.toString());
                }
                name = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value.isEmpty() ? null : value;
                case "data" ->
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                default -> {
                    // id, retry and unknown fields carry nothing a client needs.
                }
            }
        }
    }

    /** @see SseLineReader#holdsWholeEvent() */
    public boolean holdsWholeEvent() {
        return lines.holdsWholeEvent();
    }

    /** @see SseLineReader#skipToEnd(int) */
    public boolean skipToEnd(int maxBytes) throws IOException {
        return lines.skipToEnd(maxBytes);
    }
}
