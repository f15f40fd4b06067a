package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JSON settings every codec shares: exact decimals, and a duplicate member is an error rather than "last one
 * wins" (two parsers reading one body differently is how smuggling starts).
 */
final class JsonSupport {

    private final ObjectMapper mapper;
    private final ObjectReader reader;

    JsonSupport(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** @throws WireFormatException when the bytes are not one JSON document */
    JsonNode parse(byte[] json) {
        if (json.length == 0) {
            throw new WireFormatException("", "the body is empty; expected a JSON object");
        }
        JsonNode tree;
        try {
            tree = reader.readTree(json);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("", "the body is not valid JSON " + describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (mayHoldSurrogates(json)) {
            requireWellFormedText(tree, "");
        }
        return tree;
    }

    /**
     * Whether any string in the body can hold a UTF-16 surrogate: only a backslash-u escape of D800 to DFFF or a
     * three-byte UTF-8 sequence starting {@code 0xED} spells one (a four-byte sequence is always a whole pair).
     * Most bodies have neither, and one pass over their bytes spares the walk over every string.
     */
    static boolean mayHoldSurrogates(byte[] json) {
        // Eight bytes at a time: only a word holding a backslash or 0xED is looked at byte by byte (a 1 MB body took
        // ~0.7 ms one byte at a time, a sixth of its whole cost).
        int i = 0;
        for (; i <= json.length - Long.BYTES; i += Long.BYTES) {
            long word = (long) WORDS.get(json, i);
            if ((holds(word, BACKSLASHES) | holds(word, SURROGATE_LEADS)) != 0) {
                for (int j = i; j < i + Long.BYTES; j++) {
                    if (surrogateAt(json, j)) {
                        return true;
                    }
                }
            }
        }
        for (; i < json.length; i++) {
            if (surrogateAt(json, i)) {
                return true;
            }
        }
        return false;
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SURROGATE_LEADS = ONES * 0xED;

    /** @return non-zero when some byte of {@code word} equals the byte repeated in {@code bytes} */
    private static long holds(long word, long bytes) {
        long x = word ^ bytes;
        return (x - ONES) & ~x & (ONES << 7);
    }

    /** A three-byte UTF-8 sequence in D800-DFFF starts with 0xED; an escape of one reads backslash, u, d. */
    private static boolean surrogateAt(byte[] json, int i) {
        byte b = json[i];
        return b == (byte) 0xED
                || (b == '\\' && i + 2 < json.length && json[i + 1] == 'u' && (json[i + 2] | 0x20) == 'd');
    }

    /**
     * JSON escapes can spell a lone UTF-16 surrogate, which no UTF-8 writer can pass on; such a body is refused
     * here, as Anthropic refuses it, instead of failing later on its way upstream.
     */
    private static void requireWellFormedText(JsonNode tree, String root) {
        // Every request walks its whole tree; the path is only spelled out for a body that fails.
        Deque<String> path = new ArrayDeque<>();
        if (!root.isEmpty()) {
            path.add(root);
        }
        requireWellFormedText(tree, path);
    }

    private static void requireWellFormedText(JsonNode node, Deque<String> path) {
        if (node.isTextual()) {
            if (hasLoneSurrogate(node.textValue())) {
                throw new WireFormatException(
                        String.join(".", path), "the string contains an unpaired UTF-16 surrogate");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                if (hasLoneSurrogate(member.getKey())) {
                    throw new WireFormatException(
                            String.join(".", path), "a member name contains an unpaired UTF-16 surrogate");
                }
                path.addLast(member.getKey());
                requireWellFormedText(member.getValue(), path);
                path.removeLast();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.addLast(Integer.toString(i));
                requireWellFormedText(node.get(i), path);
                path.removeLast();
            }
        }
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c & 0xF800) != 0xD800) {
                continue; // not a surrogate at all: one test for nearly every character
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    JsonNode parse(String json) {
        try {
            return reader.readTree(json);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("", "not valid JSON " + describe(e));
        }
    }

    /**
     * Where and what, in Keyline's words: Jackson's messages quote its own internals ("Source: REDACTED
     * (StreamReadFeature...)") and name its limits by class, which tells a client nothing.
     */
    static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1
                ? "("
                : "(line " + at.getLineNr() + ", column " + at.getColumnNr() + "): ";
        if (e instanceof StreamConstraintsException) {
            return where + "a value is longer than this gateway reads";
        }
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), "unreadable");
        message = message.lines().findFirst().orElse("unreadable");
        message = SOURCE.matcher(message).replaceAll("");
        message = message.replace("Unexpected end-of-input", "the body ends too early")
                .replaceAll("\\s+", " ")
                .strip();
        return where + (where.equals("(") ? message + ")" : message);
    }

    // Jackson's location notes: " (start marker at [Source: ...; line: 1, column: 1])" and "[Source: ...]".
    private static final Pattern SOURCE = Pattern.compile(
            "\\s*\\(start marker at \\[Source:[^\\]]*\\][^)]*\\)|\\s*at \\[Source:[^\\]]*\\]|\\[Source:[^\\]]*\\]");

    /** Where a value lies in a body: {@code [start, end)} in bytes. */
    record Span(int start, int end) {}

    /**
     * @param json a body {@link #parse} accepted
     * @param name a top-level member whose value is a string
     * @return where that string lies, quotes included; empty when the member is absent or not a string
     */
    Optional<Span> topLevelString(byte[] json, String name) {
        try (JsonParser in = mapper.getFactory().createParser(json)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = name.equals(in.currentName());
                JsonToken value = in.nextToken();
                if (wanted) {
                    if (value != JsonToken.VALUE_STRING) {
                        return Optional.empty();
                    }
                    long start = in.currentTokenLocation().getByteOffset();
                    in.finishToken(); // a string is read lazily; its end is known once it is read
                    long end = in.currentLocation().getByteOffset();
                    return start >= 0 && end > start ? Optional.of(new Span((int) start, (int) end)) : Optional.empty();
                }
                in.skipChildren(); // members before it are skipped, not decoded
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        JsonFactory factory = mapper.getFactory();
        try (JsonGenerator out = factory.createGenerator(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
