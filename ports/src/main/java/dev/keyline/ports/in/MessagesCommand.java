package dev.keyline.ports.in;

import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import java.util.Objects;

/**
 * A client's Messages request as the front door received it.
 *
 * @param request the body, with the client's model name
 * @param headers the client's protocol headers
 * @param journal where the request's id lives and its upstream calls are written down
 */
public record MessagesCommand(MessagesRequest request, ProtocolHeaders headers, RequestJournal journal) {
    public MessagesCommand {
        Objects.requireNonNull(request, "'request' must not be null");
        Objects.requireNonNull(headers, "'headers' must not be null");
        Objects.requireNonNull(journal, "'journal' must not be null");
    }

    /** A command whose journal no one reads. */
    public MessagesCommand(MessagesRequest request, ProtocolHeaders headers) {
        this(request, headers, RequestJournal.untracked());
    }
}
