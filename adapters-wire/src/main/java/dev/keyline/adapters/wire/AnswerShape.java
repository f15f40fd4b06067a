package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Usage;
import java.io.IOException;
import java.util.Optional;

/**
 * Whether a Messages answer's bytes already have the shape {@link MessageResponseCodec#write} would give the decoded
 * message: every member it writes present with the type it writes, nothing it would drop or add, each string valid
 * UTF-8, one JSON document with no duplicate members. Read with the streaming parser in one pass, building nothing but
 * the usage counts. "No" means only "normalise it as before": the full decode then accepts or refuses the body.
 *
 * <p>Deliberately narrow: a block type whose decoding rewrites it (image, tool_result, web_search_tool_result), a
 * {@code server_tool_use} count, or any body where a lone surrogate could hide takes the full path.
 */
final class AnswerShape {

    private static final int ID = 1;
    private static final int TYPE = 1 << 1;
    private static final int ROLE = 1 << 2;
    private static final int MODEL = 1 << 3;
    private static final int CONTENT = 1 << 4;
    private static final int STOP_REASON = 1 << 5;
    private static final int STOP_SEQUENCE = 1 << 6;
    private static final int USAGE = 1 << 7;
    private static final int ALL = (1 << 8) - 1;

    private final JsonFactory factory;

    AnswerShape(JsonFactory factory) {
        this.factory = factory;
    }

    /** @return the answer's usage counts when its bytes can go to a client as they are, else empty */
    Optional<Usage> usageIfNormalised(byte[] body) {
        if (JsonSupport.mayHoldSurrogates(body)) {
            return Optional.empty(); // the full decode checks every string for lone surrogates
        }
        try (JsonParser in = factory.createParser(body)) {
            in.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            if (in.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Usage usage = null;
            int seen = 0;
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                int member = 0;
                boolean fits = switch (name) {
                    case "id" -> {
                        member = ID;
                        yield value == JsonToken.VALUE_STRING && readsAsText(in);
                    }
                    case "type" -> {
                        member = TYPE;
                        yield value == JsonToken.VALUE_STRING && in.getText().equals("message");
                    }
                    case "role" -> {
                        member = ROLE;
                        yield value == JsonToken.VALUE_STRING && in.getText().equals("assistant");
                    }
                    case "model" -> {
                        member = MODEL;
                        yield value == JsonToken.VALUE_STRING && readsAsText(in);
                    }
                    case "content" -> {
                        member = CONTENT;
                        yield value == JsonToken.START_ARRAY && blocks(in);
                    }
                    case "stop_reason" -> {
                        member = STOP_REASON;
                        yield value == JsonToken.VALUE_NULL || (value == JsonToken.VALUE_STRING && readsAsText(in));
                    }
                    case "stop_sequence" -> {
                        member = STOP_SEQUENCE;
                        yield value == JsonToken.VALUE_NULL || (value == JsonToken.VALUE_STRING && readsAsText(in));
                    }
                    case "usage" -> {
                        member = USAGE;
                        usage = value == JsonToken.START_OBJECT ? usage(in) : null;
                        yield usage != null;
                    }
                    default -> skipValue(in, value);
                };
                if (!fits) {
                    return Optional.empty();
                }
                seen |= member;
            }
            boolean whole = in.currentToken() == JsonToken.END_OBJECT && in.nextToken() == null;
            return whole && seen == ALL ? Optional.of(usage) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not JSON, invalid UTF-8, a duplicate member: the full decode says what
        }
    }

    /** The content array, the parser on its start: each block one the codec writes back unchanged. */
    private static boolean blocks(JsonParser in) throws IOException {
        JsonToken token;
        while ((token = in.nextToken()) == JsonToken.START_OBJECT) {
            if (!block(in)) {
                return false;
            }
        }
        return token == JsonToken.END_ARRAY;
    }

    private static final int TEXT = 1;
    private static final int BLOCK_ID = 1 << 1;
    private static final int NAME = 1 << 2;
    private static final int INPUT = 1 << 3;
    private static final int THINKING = 1 << 4;
    private static final int SIGNATURE = 1 << 5;
    private static final int DATA = 1 << 6;

    /** One block, the parser on its start: its type's typed members present with their types, the rest anything. */
    private static boolean block(JsonParser in) throws IOException {
        String type = null;
        int has = 0;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            JsonToken value = in.nextToken();
            boolean text = value == JsonToken.VALUE_STRING;
            switch (name) {
                case "type" -> {
                    if (!text) {
                        return false;
                    }
                    type = in.getText();
                }
                case "text" -> has |= text && readsAsText(in) ? TEXT : skipped(in, value);
                case "id" -> has |= text && readsAsText(in) ? BLOCK_ID : skipped(in, value);
                case "name" -> has |= text && readsAsText(in) ? NAME : skipped(in, value);
                case "thinking" -> has |= text && readsAsText(in) ? THINKING : skipped(in, value);
                case "signature" -> has |= text && readsAsText(in) ? SIGNATURE : skipped(in, value);
                case "data" -> has |= text && readsAsText(in) ? DATA : skipped(in, value);
                case "input" -> has |= value == JsonToken.START_OBJECT && skipValue(in, value) ? INPUT : 0;
                default -> {
                    if (!skipValue(in, value)) {
                        return false;
                    }
                }
            }
        }
        if (type == null) {
            return false;
        }
        return switch (type) {
            case "text" -> (has & TEXT) != 0;
            case "tool_use", "server_tool_use" -> (has & (BLOCK_ID | NAME | INPUT)) == (BLOCK_ID | NAME | INPUT);
            case "thinking" -> (has & (THINKING | SIGNATURE)) == (THINKING | SIGNATURE);
            case "redacted_thinking" -> (has & DATA) != 0;
            // Decoding rewrites these (nested blocks, results re-ordered): they take the full path.
            case "image", "tool_result", "web_search_tool_result" -> false;
            default -> true; // a type Keyline does not know is kept whole when decoded, so written back unchanged
        };
    }

    /** A typed member of the wrong JSON type: skipped here, and the block then lacks it. */
    private static int skipped(JsonParser in, JsonToken value) throws IOException {
        skipValue(in, value);
        return 0;
    }

    /**
     * The usage object, the parser on its start: the four token counts the codec always writes, each a non-negative
     * integer; other members (a cache breakdown, a service tier) anything; {@code server_tool_use} takes the full path
     * (its zero counts are dropped when written).
     */
    private static Usage usage(JsonParser in) throws IOException {
        long[] counts = {-1, -1, -1, -1};
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            JsonToken value = in.nextToken();
            int at = switch (name) {
                case "input_tokens" -> 0;
                case "output_tokens" -> 1;
                case "cache_creation_input_tokens" -> 2;
                case "cache_read_input_tokens" -> 3;
                case "server_tool_use" -> -2;
                default -> -1;
            };
            if (at == -2) {
                return null;
            }
            if (at < 0) {
                if (!skipValue(in, value)) {
                    return null;
                }
                continue;
            }
            if (value != JsonToken.VALUE_NUMBER_INT
                    || in.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || in.getLongValue() < 0) {
                return null;
            }
            counts[at] = in.getLongValue();
        }
        for (long count : counts) {
            if (count < 0) {
                return null;
            }
        }
        return new Usage(counts[0], counts[1], counts[2], counts[3], 0, 0, RawJson.empty());
    }

    /**
     * Passes over a value, the parser on its first token, decoding every string and member name on the way (so
     * invalid UTF-8 anywhere is found, as the full decode would find it) without making strings of them.
     *
     * @return true: a value that fails here throws
     */
    private static boolean skipValue(JsonParser in, JsonToken first) throws IOException {
        if (first == JsonToken.VALUE_STRING) {
            return readsAsText(in);
        }
        if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            return first != null && first.isScalarValue();
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken token = in.nextToken();
            if (token == null) {
                return false;
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME, VALUE_STRING -> readsAsText(in);
                default -> {
                    // numbers, booleans and nulls are written back as they were read
                }
            }
        }
        return true;
    }

    /** Decodes the current string into the parser's own buffer; invalid UTF-8 throws. */
    private static boolean readsAsText(JsonParser in) throws IOException {
        in.getTextCharacters();
        return true;
    }
}
