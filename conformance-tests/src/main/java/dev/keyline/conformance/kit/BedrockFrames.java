package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.keyline.ports.testing.AwsEventStreamFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A fake model's event stream as Bedrock sends it: each whole SSE event becomes a {@code chunk} frame, an
 * {@code error} event becomes the exception frame Bedrock ends a failed stream with, and a stream cut mid-event stays
 * cut. Answers that are not streams pass unchanged.
 */
final class BedrockFrames {

    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BedrockFrames() {}

    static ResponseDefinition of(ResponseDefinition answer) {
        String type = answer.getHeaders() == null
                ? null
                : answer.getHeaders().getContentTypeHeader().firstValue();
        if (type == null || !type.startsWith("text/event-stream") || answer.getBody() == null) {
            return answer;
        }
        ResponseDefinitionBuilder framed = new ResponseDefinitionBuilder()
                .withStatus(answer.getStatus())
                .withHeader("content-type", CONTENT_TYPE)
                .withBody(frames(answer.getBody()));
        if (answer.getFixedDelayMilliseconds() != null) {
            framed.withFixedDelay(answer.getFixedDelayMilliseconds());
        }
        return framed.build();
    }

    private static byte[] frames(String sse) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int start = 0;
        for (int end = sse.indexOf("\n\n"); end >= 0; end = sse.indexOf("\n\n", start)) {
            String event = sse.substring(start, end);
            start = end + 2;
            String name = "";
            String data = "";
            for (String line : event.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:")) {
                    data = line.substring("data:".length()).strip();
                }
            }
            out.writeBytes(name.equals("error") ? exception(data) : AwsEventStreamFrames.chunk(data));
        }
        return out.toByteArray();
    }

    /** Bedrock's name for the failure an Anthropic {@code error} event reports. */
    private static byte[] exception(String data) {
        String type = "";
        String message = "";
        try {
            JsonNode error = MAPPER.readTree(data).path("error");
            type = error.path("type").asText("");
            message = error.path("message").asText("");
        } catch (IOException e) {
            // an unreadable error event is still the stream failing
        }
        String exception = switch (type) {
            case "overloaded_error" -> "serviceUnavailableException";
            case "rate_limit_error" -> "throttlingException";
            case "invalid_request_error" -> "validationException";
            default -> "internalServerException";
        };
        return AwsEventStreamFrames.exception(exception, message.replace("\"", "'"));
    }
}
