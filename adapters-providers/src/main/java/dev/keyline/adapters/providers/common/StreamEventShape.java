package dev.keyline.adapters.providers.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one upstream event before it is relayed: its data must be one JSON object whose {@code type} agrees with
 * the event's name and which has the members its type needs (a {@code content_block_delta} its {@code index} and
 * {@code delta}, and so on). A client's SDK parses every event it gets; one it cannot parse breaks the answer in
 * the middle, so a bad event must end the stream with an error instead of reaching the client. Event types this
 * check does not know pass with any members: Anthropic may add types, and clients ignore those they do not know.
 * The data is read as tokens, not built into a tree.
 */
public final class StreamEventShape {

    /** The result of a check. */
    public sealed interface Checked {
        /** @param type the event's type: its {@code event:} name, else its data's {@code type} */
        record Valid(String type) implements Checked {}

        /** @param problem what is wrong, without the data itself */
        record Invalid(String problem) implements Checked {}
    }

    private enum Kind {
        OBJECT,
        INTEGER;

        boolean matches(JsonToken token) {
            return switch (this) {
                case OBJECT -> token == JsonToken.START_OBJECT;
                case INTEGER -> token == JsonToken.VALUE_NUMBER_INT;
            };
        }
    }

    /** A member an event type needs, and the kind of value it must have. */
    private record Need(String member, Kind kind) {}

    private static final Map<String, List<Need>> NEEDS = Map.of(
            "message_start", List.of(new Need("message", Kind.OBJECT)),
            "content_block_start", List.of(new Need("index", Kind.INTEGER), new Need("content_block", Kind.OBJECT)),
            "content_block_delta", List.of(new Need("index", Kind.INTEGER), new Need("delta", Kind.OBJECT)),
            "content_block_stop", List.of(new Need("index", Kind.INTEGER)),
            "message_delta", List.of(new Need("delta", Kind.OBJECT)),
            "error", List.of(new Need("error", Kind.OBJECT)));

    private final JsonFactory json;

    public StreamEventShape(JsonFactory json) {
        this.json = json;
    }

    /**
     * @param name the event's {@code event:} name, or null when it had none
     * @param data its data
     */
    public Checked check(String name, String data) {
        // With a name (Anthropic always sends one) the needs are known before the members come, so the members are
        // checked as they pass, nothing collected; without one they are noted and checked once the type is known.
        List<Need> needs = name == null ? null : NEEDS.getOrDefault(name, List.of());
        Map<String, JsonToken> seen = needs == null ? new HashMap<>(8) : null;
        int met = 0;
        String type = null;
        try (JsonParser parser = json.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Checked.Invalid("its data is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String member = parser.currentName();
                JsonToken value = parser.nextToken();
                if (member.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                } else if (needs != null) {
                    for (int i = 0; i < needs.size(); i++) {
                        if (needs.get(i).member().equals(member)
                                && needs.get(i).kind().matches(value)) {
                            met |= 1 << i;
                        }
                    }
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
            List<Need> required = needs != null ? needs : NEEDS.getOrDefault(type, List.of());
            for (int i = 0; i < required.size(); i++) {
                Need need = required.get(i);
                boolean present =
                        needs != null ? (met & (1 << i)) != 0 : need.kind().matches(seen.get(need.member()));
                if (!present) {
                    return new Checked.Invalid("its " + type + " has no valid '" + need.member() + "'");
                }
            }
            return new Checked.Valid(type);
        } catch (IOException e) {
            return new Checked.Invalid("its data is not valid JSON");
        }
    }
}
