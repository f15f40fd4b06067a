package dev.keyline.adapters.frontdoors.server;

import dev.keyline.adapters.wire.AnthropicErrorBody;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Errors in the Anthropic shape: {@code {"type":"error","error":{"type":…,"message":…}}}. */
public final class AnthropicErrors {

    private AnthropicErrors() {}

    /**
     * @param status an HTTP error status
     * @return the Anthropic {@code error.type} for it
     */
    public static String typeFor(int status) {
        return AnthropicErrorBody.typeFor(status);
    }

    public static byte[] body(String type, String message) {
        return AnthropicErrorBody.of(type, message);
    }

    public static void send(ServerResponse res, int status, String message) {
        send(res, status, typeFor(status), message);
    }

    public static void send(ServerResponse res, int status, String type, String message) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body(type, message));
    }
}
