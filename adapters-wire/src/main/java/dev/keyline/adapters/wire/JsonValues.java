package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Converts between Jackson trees and the plain Java values {@link dev.keyline.domain.message.RawJson} holds. */
final class JsonValues {

    private JsonValues() {}

    static Object toJava(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(), toJava(e.getValue())));
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(item -> list.add(toJava(item)));
                yield list;
            }
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> node.numberValue();
            case NULL, MISSING -> null;
            case BINARY, POJO -> throw new IllegalStateException("a parsed JSON tree holds no " + node.getNodeType());
        };
    }

    static void write(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case String s -> out.writeString(s);
            case Boolean b -> out.writeBoolean(b);
            case Integer i -> out.writeNumber(i);
            case Long l -> out.writeNumber(l);
            case Short s -> out.writeNumber(s);
            case BigInteger i -> out.writeNumber(i);
            case BigDecimal d -> out.writeNumber(d);
            case Double d -> out.writeNumber(d);
            case Float f -> out.writeNumber(f);
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeFieldName((String) entry.getKey());
                    write(out, entry.getValue());
                }
                out.writeEndObject();
            }
            case List<?> list -> {
                out.writeStartArray();
                for (Object item : list) {
                    write(out, item);
                }
                out.writeEndArray();
            }
            default ->
                throw new IllegalArgumentException(
                        "not a JSON value: " + value.getClass().getName());
        }
    }

    /** Writes every member of {@code fields}; used for the members a record keeps in {@code extra}. */
    static void writeMembers(JsonGenerator out, Map<String, Object> fields) throws IOException {
        for (Map.Entry<String, Object> entry : fields.entrySet()) {
            out.writeFieldName(entry.getKey());
            write(out, entry.getValue());
        }
    }

    /** Anthropic sends an absent optional string as an explicit {@code null} member, never by leaving it out. */
    static void writeNullable(JsonGenerator out, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            out.writeStringField(name, value.get());
        } else {
            out.writeNullField(name);
        }
    }
}
