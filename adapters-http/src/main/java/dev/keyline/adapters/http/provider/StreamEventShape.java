package dev.keyline.adapters.http.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks one upstream event before it is relayed: its data must be one JSON object whose {@code type} agrees with
 * the event's name and which has the members its type needs (a {@code content_block_delta} its {@code index} and
 * {@code delta}, and so on). A client's SDK parses every event it gets; one it cannot parse breaks the answer in
 * the middle, so a bad event must end the stream with an error instead of reaching the client. Event types this
 * check does not know pass with any members: Anthropic may add types, and clients ignore those they do not know.
 * The data is read as tokens, not built into a tree.
 */
final class StreamEventShape {

    /** The result of a check. */
    sealed interface Checked {
        /** @param type the event's type: its {@code event:} name, else its data's {@code type} */
        record Valid(String type) implements Checked {}

        /** @param problem what is wrong, without the data itself */
        record Invalid(String problem) implements Checked {}
    }

    private enum Kind {
        OBJECT,
        INTEGER
    }

    private static final Map<String, Map<String, Kind>> REQUIRED = Map.of(
            "message_start", Map.of("message", Kind.OBJECT),
            "content_block_start", Map.of("index", Kind.INTEGER, "content_block", Kind.OBJECT),
            "content_block_delta", Map.of("index", Kind.INTEGER, "delta", Kind.OBJECT),
            "content_block_stop", Map.of("index", Kind.INTEGER),
            "message_delta", Map.of("delta", Kind.OBJECT),
            "error", Map.of("error", Kind.OBJECT));

    private final JsonFactory json;

    StreamEventShape(JsonFactory json) {
        this.json = json;
    }

    /**
     * @param name the event's {@code event:} name, or null when it had none
     * @param data its data
     */
    Checked check(String name, String data) {
        String type = null;
        try (JsonParser parser = json.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Checked.Invalid("its data is not a JSON object");
            }
            // Members come in any order: note what each starts with, check the type's needs at the end.
            Map<String, JsonToken> seen = new HashMap<>(8);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String member = parser.currentName();
                JsonToken value = parser.nextToken();
                if (member.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                } else {
                    seen.put(member, value);
                }
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                return new Checked.Invalid("its data has more after its JSON object");
            }
            if (type == null) {
                return new Checked.Invalid("its data has no type");
            }
            if (name != null && !name.equals(type)) {
                return new Checked.Invalid("event '" + name + "' carries data of type '" + type + "'");
            }
            for (Map.Entry<String, Kind> member :
                    REQUIRED.getOrDefault(type, Map.of()).entrySet()) {
                JsonToken value = seen.get(member.getKey());
                boolean right = switch (member.getValue()) {
                    case OBJECT -> value == JsonToken.START_OBJECT;
                    case INTEGER -> value == JsonToken.VALUE_NUMBER_INT;
                };
                if (!right) {
                    return new Checked.Invalid("its " + type + " has no valid '" + member.getKey() + "'");
                }
            }
            return new Checked.Valid(type);
        } catch (IOException e) {
            return new Checked.Invalid("its data is not valid JSON");
        }
    }
}
