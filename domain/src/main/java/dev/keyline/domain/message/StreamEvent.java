package dev.keyline.domain.message;

import java.util.Objects;

/**
 * One server-sent event of a Messages stream, as the upstream framed it.
 *
 * @param type the {@code event:} name ({@code message_start}, {@code content_block_delta}, {@code ping}, …)
 * @param data the {@code data:} payload, a JSON text
 */
public record StreamEvent(String type, String data) {
    public StreamEvent {
        Objects.requireNonNull(type, "'type' must not be null");
        Objects.requireNonNull(data, "'data' must not be null");
        if (type.indexOf('\n') >= 0 || type.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an event name must be one line");
        }
    }

    public boolean isMessageStop() {
        return type.equals("message_stop");
    }

    public boolean isError() {
        return type.equals("error");
    }
}
