package dev.keyline.adapters.frontdoors.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Durations;
import dev.keyline.domain.keys.Grant;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.Usd;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the fields of an admin request body, each checked with a message that says which field and what it takes.
 * A field that is present replaces the stored value; {@code null} clears it; a field left out keeps it.
 */
final class AdminFields {

    private static final int MAX_TEXT = 200;

    private final ObjectNode body;
    private final Set<String> groups;

    /**
     * @param accepted the fields this endpoint takes; any other is refused (a misspelt budget must not pass
     *                 silently)
     * @param groups   the configured model groups, which {@code models} must name
     */
    AdminFields(JsonNode body, Set<String> accepted, Set<String> groups) {
        if (body == null || !body.isObject()) {
            throw new AdminRequestException("the body must be a JSON object");
        }
        this.body = (ObjectNode) body;
        this.groups = groups;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!accepted.contains(name)) {
                throw new AdminRequestException("unknown field '" + printable(name) + "'; this endpoint takes: "
                        + String.join(", ", accepted.stream().sorted().toList()));
            }
        }
    }

    boolean has(String field) {
        return body.has(field);
    }

    private static String printable(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    Optional<String> text(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new AdminRequestException("'" + field + "' must be a string");
        }
        String value = node.textValue().strip();
        if (value.isEmpty() || value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw new AdminRequestException("'" + field + "' must be 1 to " + MAX_TEXT + " printable characters");
        }
        return Optional.of(value);
    }

    Optional<Usd> dollars(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            throw new AdminRequestException("'" + field + "' must be a number of US dollars, e.g. 10.5");
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
            throw new AdminRequestException("'" + field + "' must be from 0 to 1000000000 dollars");
        }
        return Optional.of(Usd.of(value));
    }

    Optional<Duration> duration(String field) {
        Optional<String> text = text(field);
        try {
            return text.map(Durations::parse);
        } catch (IllegalArgumentException e) {
            throw new AdminRequestException("'" + field + "': " + e.getMessage());
        }
    }

    OptionalLong positive(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return OptionalLong.empty();
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.longValue() < 1) {
            throw new AdminRequestException("'" + field + "' must be a whole number, 1 or more");
        }
        return OptionalLong.of(node.longValue());
    }

    boolean flag(String field, boolean otherwise) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return otherwise;
        }
        if (!node.isBoolean()) {
            throw new AdminRequestException("'" + field + "' must be true or false");
        }
        return node.booleanValue();
    }

    /** @return the allowed groups: empty for every group (LiteLLM's {@code []} or {@code all-proxy-models}) */
    Set<String> models(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw new AdminRequestException("'" + field + "' must be a list of model group names");
        }
        Set<String> models = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new AdminRequestException("'" + field + "' must be a list of model group names");
            }
            String name = item.textValue();
            if (name.equals("all-proxy-models") || name.equals("*")) {
                return Set.of();
            }
            if (!groups.contains(name)) {
                throw new AdminRequestException("'" + field + "' names '" + printable(name)
                        + "', which this gateway does not serve; its model groups: "
                        + String.join(", ", groups.stream().sorted().toList()));
            }
            models.add(name);
        }
        return models;
    }

    /** @return the metadata object as JSON text ({@code {}} when absent) */
    String metadata(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return "{}";
        }
        if (!node.isObject()) {
            throw new AdminRequestException("'" + field + "' must be a JSON object");
        }
        String text = node.toString();
        if (text.length() > 16_384) {
            throw new AdminRequestException("'" + field + "' must be at most 16 KB of JSON");
        }
        return text;
    }

    /** @return the grant the body asks for, each field not given taken from {@code current} */
    Grant grant(Grant current) {
        Budget budget = new Budget(
                has("max_budget") ? dollars("max_budget") : current.budget().max(),
                has("budget_duration")
                        ? duration("budget_duration")
                        : current.budget().period());
        OptionalLong parallel = has("max_parallel_requests")
                ? positive("max_parallel_requests")
                : current.limits().maxParallel().isPresent()
                        ? OptionalLong.of(current.limits().maxParallel().getAsInt())
                        : OptionalLong.empty();
        if (parallel.isPresent() && parallel.getAsLong() > 100_000) {
            throw new AdminRequestException("'max_parallel_requests' must be at most 100000");
        }
        Limits limits = new Limits(
                has("rpm_limit") ? positive("rpm_limit") : current.limits().rpm(),
                has("tpm_limit") ? positive("tpm_limit") : current.limits().tpm(),
                parallel.isPresent() ? OptionalInt.of((int) parallel.getAsLong()) : OptionalInt.empty());
        return new Grant(has("models") ? models("models") : current.models(), budget, limits);
    }
}
