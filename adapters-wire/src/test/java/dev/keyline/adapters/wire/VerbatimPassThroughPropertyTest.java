package dev.keyline.adapters.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.message.MessagesRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A request the gateway forwards unchanged but for its model goes out as the client's bytes with the model's value
 * replaced: the upstream reads exactly what the encoding path would have sent, whatever the model is called, wherever
 * it stands in the body and however the client spaced and escaped its JSON.
 */
class VerbatimPassThroughPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MessagesRequestCodec codec = new MessagesRequestCodec(MAPPER);

    @Test
    void onlyTheModelChanges() {
        qt().withExamples(300)
                .forAll(
                        strings().allPossible().ofLengthBetween(1, 30).map(VerbatimPassThroughPropertyTest::name),
                        strings().allPossible().ofLengthBetween(1, 30).map(VerbatimPassThroughPropertyTest::name),
                        integers().between(0, 4),
                        integers().between(0, 3))
                .checkAssert((clientModel, providerModel, place, style) -> {
                    ObjectNode sent = body(clientModel, place);
                    byte[] bytes = bytes(sent, (style & 1) != 0, (style & 2) != 0);

                    MessagesRequest read = codec.read(bytes);
                    assertTrue(read.verbatim().isPresent(), "a body read whole keeps its bytes");
                    byte[] forwarded = codec.write(read.withModel(providerModel));

                    ObjectNode expected = sent.deepCopy();
                    expected.put("model", providerModel); // replaced where it stood
                    assertEquals(expected, tree(forwarded));
                    assertEquals(read.withModel(providerModel), codec.read(forwarded));
                    byte[] encoded = codec.write(rewritten(read.withModel(providerModel)));
                    assertEquals(codec.read(encoded), codec.read(forwarded), "both paths send the same request");
                });
    }

    @Test
    void aRequestTheGatewayRebuiltIsEncodedNotCopied() {
        MessagesRequest read = codec.read(bytes(body("claude", 1), true, false));
        MessagesRequest rebuilt = rewritten(read);
        assertFalse(rebuilt.verbatim().isPresent());
        assertEquals(read, rebuilt, "the client's bytes are not part of the request's value");
        String out = new String(codec.write(rebuilt), StandardCharsets.UTF_8);
        assertFalse(out.contains("\n"), "encoded by the gateway, not the client's pretty-printed bytes: " + out);
    }

    @Test
    void aCountIsNeverForwardedAsWritten() {
        assertFalse(codec.readForCounting(bytes(body("claude", 0), false, false))
                .verbatim()
                .isPresent());
    }

    /** Top-level members with the model at {@code place} (4: last), a string content and a block list, and extras. */
    private static ObjectNode body(String model, int place) {
        ObjectNode body = MAPPER.createObjectNode();
        for (int i = 0; i < 4; i++) {
            if (i == place) {
                body.put("model", model);
            }
            switch (i) {
                case 0 -> body.put("max_tokens", 64);
                case 1 -> {
                    var messages = body.putArray("messages");
                    messages.addObject().put("role", "user").put("content", "a \"model\": \"x\" inside text");
                    messages.addObject()
                            .put("role", "assistant")
                            .putArray("content")
                            .addObject()
                            .put("type", "text")
                            .put("text", "é ✓ 𝄞");
                    messages.addObject().put("role", "user").put("content", "next");
                }
                case 2 -> body.putObject("metadata").put("model", "not this one");
                default -> body.put("temperature", 0.25);
            }
        }
        if (place > 3) {
            body.put("model", model);
        }
        return body;
    }

    /** The gateway's own copy of a request: the same value, without the client's bytes. */
    private static MessagesRequest rewritten(MessagesRequest request) {
        return new MessagesRequest(
                request.model(),
                request.maxTokens(),
                request.messages(),
                request.tools(),
                request.toolChoice(),
                request.stream(),
                request.extra());
    }

    private static byte[] bytes(ObjectNode body, boolean pretty, boolean escaped) {
        ObjectWriter writer = pretty ? MAPPER.writerWithDefaultPrettyPrinter() : MAPPER.writer();
        if (escaped) {
            writer = writer.with(JsonWriteFeature.ESCAPE_NON_ASCII);
        }
        try {
            return writer.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(new String(json, StandardCharsets.UTF_8), e);
        }
    }

    /** Any text a model may be named, less lone surrogates (refused on the way in) and blankness. */
    private static String name(String text) {
        StringBuilder name = new StringBuilder(text.length() + 1).append('m');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                name.append(c).append(text.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                name.append(c);
            }
        }
        return name.toString();
    }
}
