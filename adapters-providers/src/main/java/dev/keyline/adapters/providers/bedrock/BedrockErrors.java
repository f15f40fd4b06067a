package dev.keyline.adapters.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.AnthropicErrorBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** Bedrock's errors in Anthropic's words: its exception names as error types, its JSON errors in the error shape. */
final class BedrockErrors {

    private BedrockErrors() {}

    /** @return the Anthropic {@code error.type} for a Bedrock exception name (either case of its first letter) */
    static String anthropicType(String exceptionType) {
        String name = exceptionType.toLowerCase(Locale.ROOT);
        int colon = name.indexOf(':');
        return switch (colon < 0 ? name : name.substring(0, colon)) {
            case "throttlingexception", "servicequotaexceededexception" -> "rate_limit_error";
            case "serviceunavailableexception", "modelnotreadyexception" -> "overloaded_error";
            case "validationexception" -> "invalid_request_error";
            case "accessdeniedexception" -> "permission_error";
            case "resourcenotfoundexception" -> "not_found_error";
            case "modeltimeoutexception" -> "timeout_error";
            case "unrecognizedclientexception", "expiredtokenexception", "invalidsignatureexception" ->
                "authentication_error";
            default -> "api_error";
        };
    }

    /** @return a JSON error answer ({@code {"message": …}} and an {@code x-amzn-ErrorType}) in Anthropic's shape */
    static String anthropicShape(ObjectMapper mapper, int status, String body, Optional<String> errorType) {
        String message = body.strip();
        try {
            JsonNode root = mapper.readTree(body);
            if (root != null && root.isObject()) {
                message = root.path("message").asText(root.path("Message").asText(message));
            }
        } catch (IOException e) {
            // not JSON: its text is the message
        }
        String type = errorType
                .map(BedrockErrors::anthropicType)
                .filter(t -> !t.equals("api_error") || status >= 500)
                .orElseGet(() -> AnthropicErrorBody.typeFor(status));
        String prefix =
                errorType.map(t -> "Bedrock " + t.split(":", 2)[0] + ": ").orElse("");
        return new String(
                AnthropicErrorBody.of(type, prefix + (message.isEmpty() ? "HTTP " + status : message)),
                StandardCharsets.UTF_8);
    }
}
