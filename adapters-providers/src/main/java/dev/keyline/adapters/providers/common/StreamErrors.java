package dev.keyline.adapters.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.failure.ProviderFailure;
import java.io.IOException;
import java.util.Optional;

/**
 * Classifies an {@code error} event that an upstream sends as the first event of a stream (Anthropic does this
 * for overload after answering 200). Nothing has reached the client yet, so it is a failure like an HTTP error:
 * the router may retry it elsewhere.
 */
public final class StreamErrors {

    private StreamErrors() {}

    public static ProviderFailure classify(ObjectMapper mapper, String data) {
        String type = "";
        try {
            JsonNode error = mapper.readTree(data).path("error").path("type");
            type = error.isTextual() ? error.textValue() : "";
        } catch (IOException e) {
            // An unreadable error event is still an error; it is treated as the upstream's server error.
        }
        int status = switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
        return ProviderFailure.fromHttpStatus(status, data, Optional.empty());
    }
}
