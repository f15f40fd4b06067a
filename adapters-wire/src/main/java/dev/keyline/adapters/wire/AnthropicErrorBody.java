package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Errors in the Anthropic shape, {@code {"type":"error","error":{"type":…,"message":…}}}: the gateway's own answers
 * and the upstream errors its adapters rewrite in it.
 */
public final class AnthropicErrorBody {

    private static final JsonFactory JSON = new JsonFactory();

    private AnthropicErrorBody() {}

    /**
     * @param status an HTTP error status
     * @return the Anthropic {@code error.type} for it
     */
    public static String typeFor(int status) {
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

    public static byte[] of(String type, String message) {
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
}
