package dev.keyline.adapters.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.message.MessagesRequest;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Whatever members a client adds, at the top, on messages or on blocks, reach the upstream unchanged. */
class WireRoundTripPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MessagesRequestCodec codec = new MessagesRequestCodec(MAPPER);

    /**
     * Any text survives, except text holding a lone UTF-16 surrogate (spelled with a JSON escape), which no
     * UTF-8 writer can pass on: that is refused with the path to it, never failed on later.
     */
    @Test
    void unknownMembersAndTextSurviveARoundTrip() {
        qt().withExamples(300)
                .forAll(
                        strings().allPossible().ofLengthBetween(0, 40),
                        strings().basicLatinAlphabet().ofLengthBetween(1, 12),
                        integers().all(),
                        lists().of(strings().numeric()).ofSizeBetween(0, 4))
                .checkAssert((text, key, number, items) -> {
                    ObjectNode request = MAPPER.createObjectNode();
                    request.put("model", "m").put("max_tokens", 8);
                    ObjectNode block = request.putArray("messages")
                            .addObject()
                            .put("role", "user")
                            .putArray("content")
                            .addObject()
                            .put("type", "text")
                            .put("text", text);
                    block.put("x_" + key, number);
                    ArrayNode list = request.putObject("x_" + key).putArray("items");
                    items.forEach(list::add);
                    request.put("x_number", number);

                    byte[] body = escapedJson(request);
                    if (hasLoneSurrogate(text)) {
                        WireFormatException refused = assertThrows(WireFormatException.class, () -> codec.read(body));
                        assertTrue(
                                refused.getMessage().startsWith("messages.0.content.0.text: "), refused.getMessage());
                        return;
                    }
                    try {
                        MessagesRequest read = codec.read(body);
                        assertEquals(request, MAPPER.readTree(codec.write(read)));
                        MessagesRequest rebuilt = new MessagesRequest(
                                read.model(),
                                read.maxTokens(),
                                read.messages(),
                                read.tools(),
                                read.toolChoice(),
                                read.stream(),
                                read.extra());
                        assertEquals(request, MAPPER.readTree(codec.write(rebuilt)), "encoded, not copied");
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    /** JSON with every non-ASCII character escaped, the one way a client can send a lone surrogate. */
    private static byte[] escapedJson(ObjectNode request) {
        try {
            return MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsBytes(request);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean hasLoneSurrogate(String text) {
        return !text.codePoints().allMatch(cp -> cp < 0xD800 || cp > 0xDFFF);
    }
}
