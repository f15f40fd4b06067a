package dev.keyline.adapters.frontdoors.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Errors in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, made from the Anthropic-shaped
 * error the gateway would have answered on {@code /v1/messages}: the same status, the same words.
 */
final class OpenAiErrors {

    private final ObjectMapper mapper;

    OpenAiErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @param anthropic an Anthropic error body */
    ObjectNode fromAnthropic(byte[] anthropic) {
        String type = "api_error";
        String message = "the gateway failed";
        try {
            JsonNode root = mapper.readTree(anthropic);
            type = root.path("error").path("type").asText(type);
            message = root.path("error").path("message").asText(message);
        } catch (IOException e) {
            // the default words stand
        }
        return of(type, message);
    }

    ObjectNode of(String type, String message) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", message).put("type", type);
        error.putNull("param");
        error.put("code", type);
        return body;
    }
}
