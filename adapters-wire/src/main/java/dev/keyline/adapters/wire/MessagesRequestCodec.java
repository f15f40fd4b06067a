package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.Verbatim;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/messages} bodies to and from the domain. Reading checks what the gateway relies on and reports
 * the first problem with its JSON path; writing emits every member the client sent. A request still as its client
 * wrote it but for its model is written as the client's bytes with the model's value replaced.
 */
public final class MessagesRequestCodec {

    private static final Set<String> TYPED =
            Set.of("model", "max_tokens", "messages", "tools", "tool_choice", "stream");

    private final JsonSupport json;

    public MessagesRequestCodec(ObjectMapper mapper) {
        this.json = new JsonSupport(mapper);
    }

    /**
     * @param body the request body
     * @return the request
     * @throws WireFormatException naming the path and the problem when the body is not a valid request
     */
    public MessagesRequest read(byte[] body) {
        return read(body, false);
    }

    /**
     * Reads a request another front door built as a JSON tree from its own format, without writing and parsing it
     * again. It has no client bytes of its own, so it is always encoded afresh.
     *
     * @param root the request as Messages JSON, its strings from a body {@link #parse(byte[])} checked
     * @return the request
     * @throws WireFormatException naming the path and the problem when the tree is not a valid request
     */
    public MessagesRequest read(ObjectNode root) {
        return read(WireObject.root(root, "the request body"), false, Optional.empty());
    }

    /**
     * Parses a body as strictly as {@link #read(byte[])} does: one JSON document, no member twice, no lone UTF-16
     * surrogate in a string.
     *
     * @throws WireFormatException when it is not
     */
    public JsonNode parse(byte[] body) {
        return json.parse(body);
    }

    /** @throws WireFormatException when {@code text} is not one JSON document */
    public JsonNode parse(String text) {
        return json.parse(text);
    }

    /**
     * @param body a {@code count_tokens} body: a Messages request without {@code max_tokens}
     * @return the request, with a {@code max_tokens} of 1 that is never sent anywhere
     * @throws WireFormatException naming the path and the problem when the body is not a valid request
     */
    public MessagesRequest readForCounting(byte[] body) {
        return read(body, true);
    }

    private MessagesRequest read(byte[] body, boolean counting) {
        WireObject root = WireObject.root(json.parse(body), "the request body");
        // A count is answered here or by the count endpoint, never forwarded as the client wrote it.
        Optional<Verbatim> verbatim = counting
                ? Optional.empty()
                : json.topLevelString(body, "model").map(span -> Verbatim.of(body, span.start(), span.end()));
        return read(root, counting, verbatim);
    }

    private static MessagesRequest read(WireObject root, boolean counting, Optional<Verbatim> verbatim) {
        String model = root.text("model");
        if (model.isBlank()) {
            throw new WireFormatException("model", "must not be empty");
        }
        int maxTokens = counting && !root.has("max_tokens") ? 1 : root.positiveInt("max_tokens");
        if (!root.has("messages")) {
            throw new WireFormatException("messages", "field required");
        }
        List<JsonNode> messageNodes = root.array("messages");
        if (messageNodes.isEmpty()) {
            throw new WireFormatException("messages", "at least one message is required");
        }
        List<Message> messages = new ArrayList<>(messageNodes.size());
        for (int i = 0; i < messageNodes.size(); i++) {
            messages.add(readMessage(WireObject.at(messageNodes.get(i), "messages." + i)));
        }
        return new MessagesRequest(
                model,
                maxTokens,
                messages,
                ToolCodec.readList(root.array("tools"), "tools"),
                root.optionalRawObject("tool_choice"),
                root.flag("stream"),
                root.rest(TYPED),
                verbatim);
    }

    /**
     * @param request a request
     * @return its JSON
     */
    public byte[] write(MessagesRequest request) {
        if (request.verbatim().isPresent()) {
            return spliced(request.verbatim().get(), request.model());
        }
        return json.write(out -> write(out, request));
    }

    /** The client's bytes with only the model's value replaced: nothing else was changed, so nothing is encoded. */
    private static byte[] spliced(Verbatim verbatim, String model) {
        byte[] name = JsonStringEncoder.getInstance().quoteAsUTF8(model);
        ByteBuffer body = ByteBuffer.allocate(verbatim.lengthWithoutModel() + name.length + 2);
        body.put(verbatim.beforeModel())
                .put((byte) '"')
                .put(name)
                .put((byte) '"')
                .put(verbatim.afterModel());
        return body.array();
    }

    private static void write(JsonGenerator out, MessagesRequest request) throws IOException {
        out.writeStartObject();
        out.writeStringField("model", request.model());
        out.writeNumberField("max_tokens", request.maxTokens());
        out.writeArrayFieldStart("messages");
        for (Message message : request.messages()) {
            out.writeStartObject();
            out.writeStringField("role", message.role().wireName());
            out.writeFieldName("content");
            ContentBlockCodec.writeList(out, message.content());
            JsonValues.writeMembers(out, message.extra().fields());
            out.writeEndObject();
        }
        out.writeEndArray();
        if (!request.tools().isEmpty()) {
            out.writeFieldName("tools");
            ToolCodec.writeList(out, request.tools());
        }
        if (request.toolChoice().isPresent()) {
            out.writeFieldName("tool_choice");
            JsonValues.write(out, request.toolChoice().get().fields());
        }
        if (request.stream()) {
            out.writeBooleanField("stream", true);
        }
        JsonValues.writeMembers(out, request.extra().fields());
        out.writeEndObject();
    }

    private static Message readMessage(WireObject message) {
        String roleName = message.text("role");
        if (roleName.isBlank()) {
            throw new WireFormatException(message.child("role"), "must not be empty");
        }
        Role role = new Role(roleName);
        JsonNode content = message.node("content");
        List<ContentBlock> blocks;
        if (content == null || content.isNull()) {
            throw new WireFormatException(message.child("content"), "field required");
        } else if (content.isTextual()) {
            blocks = List.of(new ContentBlock.Text(content.textValue(), RawJson.empty()));
        } else if (content.isArray()) {
            blocks = ContentBlockCodec.readList(message.array("content"), message.child("content"));
        } else {
            throw new WireFormatException(message.child("content"), "must be a string or an array of content blocks");
        }
        return new Message(role, blocks, message.rest(Set.of("role", "content")));
    }
}
