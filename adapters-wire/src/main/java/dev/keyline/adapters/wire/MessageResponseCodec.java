package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.UpstreamAnswer;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Messages responses ({@code "type": "message"}) to and from the domain. */
public final class MessageResponseCodec {

    private static final Set<String> TYPED =
            Set.of("id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage");

    private final JsonSupport json;
    private final AnswerShape shape;

    public MessageResponseCodec(ObjectMapper mapper) {
        this.json = new JsonSupport(mapper);
        this.shape = new AnswerShape(mapper.getFactory());
    }

    /**
     * @param body an upstream's response body
     * @return the answer as its bytes when they already have the shape {@link #write} would give them (usage read,
     *         nothing else built), else decoded now
     * @throws WireFormatException when the body is not a Messages response
     */
    public UpstreamAnswer answer(byte[] body) {
        Optional<Usage> usage = shape.usageIfNormalised(body);
        if (usage.isPresent()) {
            return new UpstreamAnswer.Verbatim(body, usage.get(), new DecodedOnce(body));
        }
        return new UpstreamAnswer.Decoded(read(body));
    }

    /** Decodes a verbatim answer the first time something needs its message, and keeps it. */
    private final class DecodedOnce implements Supplier<MessageResponse> {
        private final byte[] body;
        private volatile MessageResponse decoded;

        DecodedOnce(byte[] body) {
            this.body = body;
        }

        @Override
        public MessageResponse get() {
            MessageResponse message = decoded;
            if (message == null) {
                message = read(body);
                decoded = message;
            }
            return message;
        }
    }

    /**
     * @param body an upstream's response body
     * @return the message
     * @throws WireFormatException when the body is not a Messages response
     */
    public MessageResponse read(byte[] body) {
        WireObject root = WireObject.root(json.parse(body), "a Messages response");
        String type = root.optionalText("type").orElse("message");
        if (!type.equals("message")) {
            throw new WireFormatException("type", "expected \"message\", got \"" + type + "\"");
        }
        return new MessageResponse(
                root.text("id"),
                root.optionalText("model").orElse(""),
                ContentBlockCodec.readList(root.array("content"), "content"),
                root.optionalText("stop_reason"),
                root.optionalText("stop_sequence"),
                UsageCodec.read(root.node("usage"), "usage"),
                root.rest(TYPED));
    }

    /**
     * @param response a message
     * @return its JSON
     */
    public byte[] write(MessageResponse response) {
        return json.write(out -> write(out, response));
    }

    static void write(JsonGenerator out, MessageResponse response) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", response.id());
        out.writeStringField("type", "message");
        out.writeStringField("role", "assistant");
        out.writeStringField("model", response.model());
        out.writeFieldName("content");
        ContentBlockCodec.writeList(out, response.content());
        JsonValues.writeNullable(out, "stop_reason", response.stopReason());
        JsonValues.writeNullable(out, "stop_sequence", response.stopSequence());
        out.writeFieldName("usage");
        UsageCodec.write(out, response.usage());
        JsonValues.writeMembers(out, response.extra().fields());
        out.writeEndObject();
    }
}
