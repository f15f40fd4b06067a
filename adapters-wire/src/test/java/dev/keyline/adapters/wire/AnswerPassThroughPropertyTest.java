package dev.keyline.adapters.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.UpstreamAnswer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An answer goes to the client as the upstream's bytes only when decoding and encoding it would have sent the same
 * JSON: generated answers, some in the normalised shape and most a step off it (a member missing, of the wrong type,
 * a block the codec rewrites, usage it would complete, duplicates, invalid text), in any member order and spacing.
 * For every one: kept verbatim means the same tree and the same counts as the full path; refused by the full path
 * means refused here too.
 */
class AnswerPassThroughPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader TREES = MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private final MessageResponseCodec codec = new MessageResponseCodec(MAPPER);

    @Test
    void aVerbatimAnswerIsWhatTheFullPathWouldHaveWritten() {
        AtomicInteger verbatim = new AtomicInteger();
        AtomicInteger decoded = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        qt().withExamples(2_000).forAll(longs().all()).checkAssert(seed -> {
            byte[] body = answer(new SplittableRandom(seed));
            MessageResponse full;
            try {
                full = codec.read(body);
            } catch (WireFormatException e) {
                refused.incrementAndGet();
                assertThrows(WireFormatException.class, () -> codec.answer(body), text(body));
                return;
            }
            switch (codec.answer(body)) {
                case UpstreamAnswer.Verbatim kept -> {
                    verbatim.incrementAndGet();
                    assertEquals(tree(codec.write(full)), tree(kept.bytes()), text(body));
                    Usage usage = full.usage();
                    Usage counted = kept.usage();
                    assertEquals(
                            List.of(
                                    usage.inputTokens(),
                                    usage.outputTokens(),
                                    usage.cacheCreationInputTokens(),
                                    usage.cacheReadInputTokens()),
                            List.of(
                                    counted.inputTokens(),
                                    counted.outputTokens(),
                                    counted.cacheCreationInputTokens(),
                                    counted.cacheReadInputTokens()),
                            text(body));
                    assertEquals(full, kept.message(), "decoded on demand, the same message");
                }
                case UpstreamAnswer.Decoded normalised -> {
                    decoded.incrementAndGet();
                    assertEquals(full, normalised.message());
                }
            }
        });
        // The generator reaches all three outcomes often enough for the property to mean something.
        assertTrue(verbatim.get() >= 200, "verbatim: " + verbatim);
        assertTrue(decoded.get() >= 200, "normalised: " + decoded);
        assertTrue(refused.get() >= 100, "refused: " + refused);
    }

    @Test
    void theAnthropicApisOwnAnswerGoesVerbatim() {
        byte[] body = """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"Hi 👋"},
                            {"type":"tool_use","id":"toolu_1","name":"get","input":{"q":"x","n":1.50}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                          "cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},
                          "output_tokens":8,"service_tier":"standard"}}
                """.getBytes(StandardCharsets.UTF_8);
        UpstreamAnswer.Verbatim kept = assertInstanceOf(UpstreamAnswer.Verbatim.class, codec.answer(body));
        assertEquals(12, kept.usage().inputTokens());
        assertEquals(8, kept.usage().outputTokens());
    }

    @Test
    void anAnswerWithoutTheCacheCountsIsCompletedAsBefore() {
        byte[] body = ("{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],"
                        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}")
                .getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(UpstreamAnswer.Decoded.class, codec.answer(body));
    }

    /** A random answer: each part usually right, sometimes off in one of the ways the codec treats differently. */
    private static byte[] answer(SplittableRandom random) {
        List<String> members = new ArrayList<>();
        member(members, random, "id", "\"msg_" + random.nextInt(1000) + "\"", "7");
        member(members, random, "type", "\"message\"", "\"error\"");
        member(members, random, "role", "\"assistant\"", "\"user\"");
        member(members, random, "model", text(random), "null");
        member(members, random, "content", content(random), "\"hi\"");
        member(members, random, "stop_reason", random.nextBoolean() ? "\"end_turn\"" : "null", "1");
        member(members, random, "stop_sequence", random.nextBoolean() ? "null" : text(random), "false");
        member(members, random, "usage", usage(random), "null");
        if (random.nextInt(4) == 0) {
            members.add("\"container\":{\"id\":\"c\",\"n\":[1,2.50,-3e2,true,null]}");
        }
        if (random.nextInt(40) == 0) {
            members.add("\"id\":\"again\""); // a duplicate: refused by both paths
        }
        Collections.shuffle(members, new java.util.Random(random.nextLong()));
        String json = "{" + String.join(random.nextBoolean() ? "," : " ,\n ", members) + "}";
        if (random.nextInt(60) == 0) {
            json = json + " {}"; // trailing content
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(60) == 0 && bytes.length > 10) {
            bytes[bytes.length / 2] = (byte) 0xC3; // invalid UTF-8, or a broken token
        }
        return bytes;
    }

    /** Adds the member, usually right; sometimes wrong, sometimes left out. */
    private static void member(List<String> members, SplittableRandom random, String name, String right, String wrong) {
        int roll = random.nextInt(40);
        if (roll == 0) {
            return;
        }
        members.add("\"" + name + "\":" + (roll == 1 ? wrong : right));
    }

    private static String content(SplittableRandom random) {
        List<String> blocks = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            blocks.add(block(random));
        }
        return "[" + String.join(",", blocks) + "]";
    }

    private static String block(SplittableRandom random) {
        List<String> members = new ArrayList<>();
        String type = switch (random.nextInt(10)) {
            case 0, 1, 2 -> "text";
            case 3 -> "tool_use";
            case 4 -> "server_tool_use";
            case 5 -> "thinking";
            case 6 -> "redacted_thinking";
            case 7 -> "image";
            case 8 -> "tool_result";
            default -> "mystery_" + random.nextInt(3);
        };
        member(members, random, "type", "\"" + type + "\"", "3");
        switch (type) {
            case "text" -> member(members, random, "text", text(random), "null");
            case "tool_use", "server_tool_use" -> {
                member(members, random, "id", "\"toolu_" + random.nextInt(99) + "\"", "9");
                member(members, random, "name", "\"lookup\"", "[]");
                member(members, random, "input", "{\"q\":" + text(random) + ",\"deep\":{\"a\":[1.0]}}", "\"x\"");
            }
            case "thinking" -> {
                member(members, random, "thinking", text(random), "{}");
                member(members, random, "signature", "\"sig\"", "null");
            }
            case "redacted_thinking" -> member(members, random, "data", "\"opaque\"", "1");
            case "image" -> member(members, random, "source", "{\"type\":\"url\",\"url\":\"https://x\"}", "1");
            case "tool_result" -> member(members, random, "tool_use_id", "\"toolu_1\"", "2");
            default -> member(members, random, "payload", "{\"k\":[" + text(random) + "]}", "null");
        }
        if (random.nextInt(5) == 0) {
            members.add("\"citations\":" + (random.nextBoolean() ? "null" : "[{\"url\":" + text(random) + "}]"));
        }
        Collections.shuffle(members, new java.util.Random(random.nextLong()));
        return "{" + String.join(",", members) + "}";
    }

    private static String usage(SplittableRandom random) {
        List<String> members = new ArrayList<>();
        member(members, random, "input_tokens", count(random), "-1");
        member(members, random, "output_tokens", count(random), "\"8\"");
        // Left out now and then: the codec writes them as 0, so that answer is normalised.
        if (random.nextInt(8) != 0) {
            member(members, random, "cache_creation_input_tokens", count(random), "null");
        }
        if (random.nextInt(8) != 0) {
            member(members, random, "cache_read_input_tokens", count(random), "1.5");
        }
        if (random.nextInt(3) == 0) {
            members.add("\"service_tier\":\"standard\"");
        }
        if (random.nextInt(10) == 0) {
            members.add("\"server_tool_use\":{\"web_search_requests\":" + random.nextInt(3) + "}");
        }
        if (random.nextInt(50) == 0) {
            members.add("\"output_tokens\":99999999999999999999"); // too large, or a duplicate
        }
        Collections.shuffle(members, new java.util.Random(random.nextLong()));
        return "{" + String.join(",", members) + "}";
    }

    private static String count(SplittableRandom random) {
        return Long.toString(random.nextInt(5) == 0 ? random.nextLong(0, Long.MAX_VALUE) : random.nextInt(5000));
    }

    /** A JSON string: ASCII, accents, emoji (a surrogate pair in UTF-16), escapes, now and then a lone surrogate. */
    private static String text(SplittableRandom random) {
        return switch (random.nextInt(7)) {
            case 0 -> "\"plain\"";
            case 1 -> "\"café au lait\"";
            case 2 -> "\"rocket 🚀 launch\"";
            case 3 -> "\"line\\nbreak \\\"quoted\\\" \\u00e9\"";
            case 4 -> "\"pair \\ud83d\\ude80\"";
            case 5 -> random.nextInt(4) == 0 ? "\"lone \\ud800 here\"" : "\"\"";
            default -> "\"" + "x".repeat(random.nextInt(200)) + "\"";
        };
    }

    /**
     * The JSON value, numbers compared by value: the full path's raw values may write {@code 1.0} as {@code 1}, which
     * the verbatim path keeps as the upstream wrote it.
     */
    private static JsonNode tree(byte[] json) {
        try {
            return numbersByValue(TREES.readTree(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode numbersByValue(JsonNode node) {
        if (node.isNumber()) {
            return DecimalNode.valueOf(node.decimalValue().stripTrailingZeros());
        }
        if (node.isObject()) {
            ObjectNode copy = MAPPER.createObjectNode();
            node.properties().forEach(member -> copy.set(member.getKey(), numbersByValue(member.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            node.forEach(item -> copy.add(numbersByValue(item)));
            return copy;
        }
        return node;
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
