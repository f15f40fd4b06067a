package dev.keyline.adapters.http.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Errors in the Anthropic shape: {@code {"type":"error","error":{"type":…,"message":…}}}. */
final class AnthropicErrors {

    private static final JsonFactory JSON = new JsonFactory();

    private AnthropicErrors() {}

    /**
     * @param status an HTTP error status
     * @return the Anthropic {@code error.type} for it
     */
    static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    static byte[] body(String type, String message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("type", "error");
            out.writeObjectFieldStart("error");
            out.writeStringField("type", type);
            out.writeStringField("message", message);
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void send(ServerResponse res, int status, String message) {
        send(res, status, typeFor(status), message);
    }

    static void send(ServerResponse res, int status, String type, String message) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body(type, message));
    }
}
