package dev.keyline.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A YAML mapping being read, which knows its key path. String values of the form {@code os.environ/NAME} are
 * resolved through the environment it was given; a missing variable is an error naming the path. Values read
 * through {@link #secret} are never quoted in an error.
 */
final class ConfigNode {

    private static final String ENV_PREFIX = "os.environ/";

    private final JsonNode node;
    private final String path;
    private final Map<String, String> env;

    private ConfigNode(JsonNode node, String path, Map<String, String> env) {
        this.node = node;
        this.path = path;
        this.env = env;
    }

    static ConfigNode root(JsonNode node, Map<String, String> env) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw ConfigException.at("", "the file is empty; expected a mapping with at least model_list");
        }
        if (!node.isObject()) {
            throw ConfigException.at("", "expected a mapping at the top level");
        }
        return new ConfigNode(node, "", env);
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    Optional<ConfigNode> mapping(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            throw ConfigException.at(child(key), "expected a mapping");
        }
        return Optional.of(new ConfigNode(value, child(key), env));
    }

    ConfigNode requireMapping(String key) {
        return mapping(key).orElseThrow(() -> ConfigException.at(child(key), "required"));
    }

    List<ConfigNode> mappings(String key) {
        List<ConfigNode> items = new ArrayList<>();
        JsonNode list = list(key);
        for (int i = 0; i < list.size(); i++) {
            String itemPath = child(key) + "[" + i + "]";
            if (!list.get(i).isObject()) {
                throw ConfigException.at(itemPath, "expected a mapping");
            }
            items.add(new ConfigNode(list.get(i), itemPath, env));
        }
        return items;
    }

    /** A list of strings; a single string is accepted as a list of one, as LiteLLM does for callbacks. */
    List<String> strings(String key) {
        if (has(key) && node.get(key).isTextual()) {
            return List.of(resolve(node.get(key).textValue(), child(key), false));
        }
        JsonNode list = list(key);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            values.add(scalar(list.get(i), child(key) + "[" + i + "]", false));
        }
        return values;
    }

    Optional<String> text(String key) {
        return has(key) ? Optional.of(scalar(node.get(key), child(key), false)) : Optional.empty();
    }

    String requireText(String key) {
        return text(key).orElseThrow(() -> ConfigException.at(child(key), "required"));
    }

    /** Like {@link #text}, but the value is never quoted in an error message. */
    Optional<String> secret(String key) {
        return has(key) ? Optional.of(scalar(node.get(key), child(key), true)) : Optional.empty();
    }

    OptionalInt positiveInt(String key) {
        return integer(key, 1);
    }

    OptionalInt nonNegativeInt(String key) {
        return integer(key, 0);
    }

    Optional<Boolean> flag(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        String value = scalar(node.get(key), child(key), false).strip();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw ConfigException.at(child(key), "expected true or false, got '" + value + "'");
        };
    }

    /** A duration given in seconds (integer or decimal), LiteLLM's unit for timeouts and cooldowns. */
    Optional<Duration> seconds(String key, boolean zeroAllowed) {
        if (!has(key)) {
            return Optional.empty();
        }
        String value = scalar(node.get(key), child(key), false).strip();
        try {
            double seconds = Double.parseDouble(value);
            if (!Double.isFinite(seconds) || seconds < 0 || (!zeroAllowed && seconds == 0)) {
                throw ConfigException.at(
                        child(key),
                        "expected " + (zeroAllowed ? "zero or more" : "more than zero") + " seconds, got " + value);
            }
            return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
        } catch (NumberFormatException e) {
            throw ConfigException.at(child(key), "expected a number of seconds, got '" + value + "'");
        }
    }

    /** A mapping of names to string values ({@code extra_headers}); the values are treated as secrets. */
    Map<String, String> stringMap(String key) {
        Map<String, String> values = new LinkedHashMap<>();
        mapping(key)
                .ifPresent(map -> map.node
                        .properties()
                        .forEach(e -> values.put(e.getKey(), scalar(e.getValue(), map.child(e.getKey()), true))));
        return values;
    }

    /** The raw value under a key, for free-form sections such as {@code model_info}. */
    Optional<JsonNode> raw(String key) {
        return has(key) ? Optional.of(node.get(key)) : Optional.empty();
    }

    Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Reports each key of this mapping that is not in {@code known}, by its full path. */
    private OptionalInt integer(String key, int minimum) {
        if (!has(key)) {
            return OptionalInt.empty();
        }
        String value = scalar(node.get(key), child(key), false).strip();
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < minimum) {
                throw ConfigException.at(child(key), "expected an integer of at least " + minimum + ", got " + parsed);
            }
            return OptionalInt.of(parsed);
        } catch (NumberFormatException e) {
            throw ConfigException.at(child(key), "expected an integer, got '" + value + "'");
        }
    }

    private JsonNode list(String key) {
        if (!has(key)) {
            return JsonNodeFactory.instance.arrayNode();
        }
        JsonNode value = node.get(key);
        if (!value.isArray()) {
            throw ConfigException.at(child(key), "expected a list");
        }
        return value;
    }

    private String scalar(JsonNode value, String at, boolean secret) {
        if (!value.isValueNode() || value.isNull()) {
            throw ConfigException.at(at, "expected a single value, not a " + (value.isArray() ? "list" : "mapping"));
        }
        return resolve(value.asText(), at, secret);
    }

    private String resolve(String value, String at, boolean secret) {
        if (!value.startsWith(ENV_PREFIX)) {
            return value;
        }
        String name = value.substring(ENV_PREFIX.length()).strip();
        if (name.isEmpty()) {
            throw ConfigException.at(at, "'os.environ/' needs a variable name after the slash");
        }
        String resolved = env.get(name);
        if (resolved == null) {
            throw ConfigException.at(at, "environment variable " + name + " is not set");
        }
        if (resolved.isBlank()) {
            throw ConfigException.at(at, "environment variable " + name + " is empty");
        }
        return secret ? resolved : resolved.strip();
    }
}
