package dev.keyline.domain.failure;

import java.util.Objects;

/**
 * An error the upstream answered with: its HTTP status and body, relayed to the client as they came.
 *
 * @param status the upstream's HTTP status, 400 to 599
 * @param body   the upstream's body text, possibly empty
 */
public record ErrorReply(int status, String body) {
    public ErrorReply {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error reply has a 4xx or 5xx status, not " + status);
        }
        Objects.requireNonNull(body, "'body' must not be null");
    }
}
