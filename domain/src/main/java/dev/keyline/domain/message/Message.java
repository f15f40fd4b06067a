package dev.keyline.domain.message;

import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation. A message sent with string content is held as a single text block, which the
 * Messages API treats as the same request.
 *
 * @param role    who speaks
 * @param content the blocks, in order
 * @param extra   any other members the client sent on the message
 */
public record Message(Role role, List<ContentBlock> content, RawJson extra) {
    public Message {
        Objects.requireNonNull(role, "'role' must not be null");
        content = List.copyOf(Objects.requireNonNull(content, "'content' must not be null"));
        Objects.requireNonNull(extra, "'extra' must not be null");
    }

    public static Message of(Role role, List<ContentBlock> content) {
        return new Message(role, content, RawJson.empty());
    }
}
