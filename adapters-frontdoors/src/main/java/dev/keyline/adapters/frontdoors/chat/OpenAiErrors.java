package dev.keyline.adapters.frontdoors.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.frontdoors.server.ErrorReplies;

/**
 * Errors in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, written from the error the gateway
 * decided once ({@link ErrorReplies.Reply}): the same status, type and words as on {@code /v1/messages}.
 */
final class OpenAiErrors {

    private final ObjectMapper mapper;

    OpenAiErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @param reply the error the gateway decided, as every door has it */
    ObjectNode of(ErrorReplies.Reply reply) {
        return of(reply.type(), reply.message());
    }

    ObjectNode of(String type, String message) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", message).put("type", type);
        error.putNull("param");
        error.put("code", type);
        return body;
    }
}
