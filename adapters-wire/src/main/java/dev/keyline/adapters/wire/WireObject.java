package dev.keyline.adapters.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.domain.message.RawJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** A JSON object being read, which knows its path so every complaint names the member at fault. */
final class WireObject {

    private final JsonNode node;
    private final String path;

    private WireObject(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static WireObject root(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new WireFormatException("", what + " must be a JSON object");
        }
        return new WireObject(node, "");
    }

    static WireObject at(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new WireFormatException(path, "must be an object");
        }
        return new WireObject(node, path);
    }

    String path() {
        return path;
    }

    String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    JsonNode node(String name) {
        return node.get(name);
    }

    String text(String name) {
        return optionalText(name).orElseThrow(() -> new WireFormatException(child(name), "field required"));
    }

    Optional<String> optionalText(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new WireFormatException(child(name), "must be a string");
        }
        return Optional.of(value.textValue());
    }

    int positiveInt(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new WireFormatException(child(name), "field required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw new WireFormatException(child(name), "must be a positive integer");
        }
        return value.intValue();
    }

    OptionalInt optionalPositiveInt(String name) {
        return has(name) ? OptionalInt.of(positiveInt(name)) : OptionalInt.empty();
    }

    long count(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new WireFormatException(child(name), "must be a non-negative integer");
        }
        return value.longValue();
    }

    boolean flag(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new WireFormatException(child(name), "must be a boolean");
        }
        return value.booleanValue();
    }

    List<JsonNode> array(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new WireFormatException(child(name), "must be an array");
        }
        List<JsonNode> items = new ArrayList<>(value.size());
        value.forEach(items::add);
        return items;
    }

    List<String> textList(String name) {
        List<JsonNode> items = array(name);
        List<String> texts = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) {
                throw new WireFormatException(child(name) + "." + i, "must be a string");
            }
            texts.add(items.get(i).textValue());
        }
        return texts;
    }

    WireObject object(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new WireFormatException(child(name), "field required");
        }
        return at(value, child(name));
    }

    Optional<RawJson> optionalRawObject(String name) {
        return has(name) ? Optional.of(object(name).raw()) : Optional.empty();
    }

    /** @return the whole object as raw JSON */
    RawJson raw() {
        return rest(Set.of());
    }

    /** @return every member not named in {@code typed}, in document order */
    RawJson rest(Set<String> typed) {
        Map<String, Object> others = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (!typed.contains(e.getKey())) {
                others.put(e.getKey(), JsonValues.toJava(e.getValue()));
            }
        });
        return new RawJson(others);
    }
}
