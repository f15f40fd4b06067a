package dev.keyline.adapters.frontdoors.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.frontdoors.server.AnthropicErrors;
import dev.keyline.domain.keys.Durations;
import dev.keyline.domain.keys.Grant;
import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.in.KeyAdminUseCase;
import dev.keyline.ports.out.SpendLog;
import dev.keyline.ports.out.StoreException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * The admin API in LiteLLM's shapes, so existing scripts and UIs work: {@code POST /key/generate}, {@code GET
 * /key/info}, {@code POST /key/update}, {@code POST /key/delete}, {@code GET /key/list}, {@code POST
 * /team/new|update|delete}, {@code GET /team/info|list}, {@code GET /spend/logs}. Registered at the root behind the
 * operator filter (master key only). A new key is in the answer to {@code /key/generate} and nowhere else; keys are
 * named by the key or its hash ({@code token}). Bad requests get a 400 that says which field and what it takes.
 */
public final class KeyAdminHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(KeyAdminHttpService.class.getName());
    private static final int MAX_BODY = 64 * 1024;
    private static final Set<String> KEY_FIELDS = Set.of(
            "key_alias",
            "models",
            "max_budget",
            "budget_duration",
            "rpm_limit",
            "tpm_limit",
            "max_parallel_requests",
            "duration",
            "team_id",
            "user_id",
            "metadata");
    private static final Set<String> TEAM_FIELDS = Set.of(
            "team_id",
            "team_alias",
            "models",
            "max_budget",
            "budget_duration",
            "rpm_limit",
            "tpm_limit",
            "max_parallel_requests",
            "metadata",
            "blocked");

    private final KeyAdminUseCase admin;
    private final ObjectMapper mapper;
    private final Set<String> groups;

    /** @param groups the configured model groups, which a key's {@code models} must name */
    public KeyAdminHttpService(KeyAdminUseCase admin, ObjectMapper mapper, Set<String> groups) {
        this.admin = Objects.requireNonNull(admin, "'admin' must not be null");
        this.mapper = Objects.requireNonNull(mapper, "'mapper' must not be null");
        this.groups = Set.copyOf(groups);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/key/generate", guarded(this::generate))
                .get("/key/info", guarded(this::keyInfo))
                .post("/key/update", guarded(this::keyUpdate))
                .post("/key/delete", guarded(this::keyDelete))
                .get("/key/list", guarded(this::keyList))
                .post("/team/new", guarded(this::teamNew))
                .get("/team/info", guarded(this::teamInfo))
                .post("/team/update", guarded(this::teamUpdate))
                .post("/team/delete", guarded(this::teamDelete))
                .get("/team/list", guarded(this::teamList))
                .get("/spend/logs", guarded(this::spendLogs));
    }

    @FunctionalInterface
    private interface Endpoint {
        JsonNode answer(ServerRequest req) throws IOException;
    }

    /** Every endpoint answers JSON, or an Anthropic-shaped error: a clear 400 for a bad request, never a 500. */
    private Handler guarded(Endpoint endpoint) {
        return (req, res) -> {
            try {
                JsonNode answer = endpoint.answer(req);
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.header(HeaderNames.CACHE_CONTROL, "no-store");
                res.send(mapper.writeValueAsBytes(answer));
            } catch (AdminRequestException e) {
                AnthropicErrors.send(res, e.status(), e.getMessage());
            } catch (JsonProcessingException e) {
                AnthropicErrors.send(res, 400, "invalid_request_error", "the body is not valid JSON");
            } catch (IOException e) {
                AnthropicErrors.send(res, 400, "invalid_request_error", "the body could not be read whole");
            } catch (StoreException.Conflict e) {
                AnthropicErrors.send(res, 409, "invalid_request_error", e.getMessage());
            } catch (IllegalArgumentException e) {
                AnthropicErrors.send(res, 400, "invalid_request_error", e.getMessage());
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "admin request failed: {0}", e.getMessage());
                AnthropicErrors.send(res, 503, "the key store is unavailable; try again");
            }
        };
    }

    private JsonNode body(ServerRequest req) throws IOException {
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new AdminRequestException("the body must be at most " + MAX_BODY / 1024 + " KB");
        }
        if (bytes.length == 0) {
            throw new AdminRequestException("the body must be a JSON object");
        }
        return mapper.readTree(bytes);
    }

    private static Optional<String> query(ServerRequest req, String name) {
        return req.query().first(name).asOptional().map(String::strip).filter(v -> !v.isEmpty());
    }

    private static String requireQuery(ServerRequest req, String name) {
        return query(req, name)
                .orElseThrow(() -> new AdminRequestException("the query parameter '" + name + "' is required"));
    }

    // ---- keys

    private JsonNode generate(ServerRequest req) throws IOException {
        AdminFields fields = new AdminFields(body(req), KEY_FIELDS, groups);
        KeyAdminUseCase.Generated generated = admin.generate(new KeyAdminUseCase.KeySpec(
                fields.text("key_alias"),
                fields.grant(Grant.OPEN),
                fields.text("team_id"),
                fields.text("user_id"),
                fields.metadata("metadata"),
                fields.duration("duration")));
        LOG.log(Level.INFO, "key ''{0}'' issued", generated.key().label());
        ObjectNode out = keyJson(admin.key(generated.key().hash().hex()).orElseThrow());
        out.put("key", generated.secret());
        return out;
    }

    private KeyAdminUseCase.KeyView findKey(String ref) {
        return admin.key(ref).orElseThrow(() -> new AdminRequestException(404, "no such key"));
    }

    private JsonNode keyInfo(ServerRequest req) {
        KeyAdminUseCase.KeyView view = findKey(requireQuery(req, "key"));
        ObjectNode out = mapper.createObjectNode();
        out.put("key", view.key().hash().hex());
        out.set("info", keyJson(view));
        return out;
    }

    private JsonNode keyUpdate(ServerRequest req) throws IOException {
        JsonNode body = body(req);
        if (!body.isObject() || !body.path("key").isTextual()) {
            throw new AdminRequestException("'key' (the key or its token) is required");
        }
        String ref = body.path("key").textValue();
        ((ObjectNode) body).remove("key");
        Set<String> accepted = new HashSet<>(KEY_FIELDS);
        accepted.add("blocked");
        AdminFields fields = new AdminFields(body, accepted, groups);
        VirtualKey key = findKey(ref).key();
        VirtualKey changed = new VirtualKey(
                key.hash(),
                key.preview(),
                fields.has("key_alias") ? fields.text("key_alias") : key.alias(),
                fields.grant(key.grant()),
                fields.has("team_id") ? fields.text("team_id") : key.teamId(),
                fields.has("user_id") ? fields.text("user_id") : key.userId(),
                fields.has("metadata") ? fields.metadata("metadata") : key.metadata(),
                key.created(),
                fields.has("duration") ? fields.duration("duration").map(admin.now()::plus) : key.expires(),
                fields.flag("blocked", key.blocked()));
        admin.replace(changed);
        LOG.log(Level.INFO, "key ''{0}'' updated", changed.label());
        return keyJson(findKey(key.hash().hex()));
    }

    private JsonNode keyDelete(ServerRequest req) throws IOException {
        JsonNode body = body(req);
        AdminFields fields = new AdminFields(body, Set.of("keys", "key_aliases"), groups);
        List<String> keys = strings(body, "keys");
        List<String> aliases = strings(body, "key_aliases");
        if (keys.isEmpty() && aliases.isEmpty() && !fields.has("keys")) {
            throw new AdminRequestException("give 'keys' (keys or tokens) or 'key_aliases' to delete");
        }
        int deleted = admin.delete(keys) + admin.deleteByAlias(aliases);
        LOG.log(Level.INFO, "{0} key(s) deleted", deleted);
        ObjectNode out = mapper.createObjectNode();
        out.put("deleted", deleted);
        ArrayNode names = out.putArray("deleted_keys");
        keys.forEach(k -> names.add(KeyHash.looksLikeHash(k) ? k : KeyHash.of(k).hex()));
        aliases.forEach(names::add);
        return out;
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > 1000) {
            throw new AdminRequestException("'" + field + "' must be a list of at most 1000 strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.textValue().isBlank()) {
                throw new AdminRequestException("'" + field + "' must be a list of strings");
            }
            values.add(item.textValue().strip());
        }
        return values;
    }

    private JsonNode keyList(ServerRequest req) {
        List<KeyAdminUseCase.KeyView> keys = admin.keys(query(req, "team_id"));
        boolean full =
                query(req, "return_full_object").map(Boolean::parseBoolean).orElse(false);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode list = out.putArray("keys");
        keys.forEach(view -> {
            if (full) {
                list.add(keyJson(view));
            } else {
                list.add(view.key().hash().hex());
            }
        });
        out.put("total_count", keys.size());
        out.put("current_page", 1);
        out.put("total_pages", 1);
        return out;
    }

    private ObjectNode keyJson(KeyAdminUseCase.KeyView view) {
        VirtualKey key = view.key();
        ObjectNode out = mapper.createObjectNode();
        out.put("token", key.hash().hex());
        out.put("key_name", key.preview());
        putText(out, "key_alias", key.alias());
        grantJson(out, key.grant());
        out.put("spend", view.spent().asDouble());
        out.put("total_spend", view.total().asDouble());
        out.put("requests", view.requests());
        putTime(out, "budget_reset_at", view.window().resetsAt());
        putText(out, "team_id", key.teamId());
        putText(out, "user_id", key.userId());
        out.set("metadata", metadata(key.metadata()));
        out.put("created_at", key.created().toString());
        putTime(out, "expires", key.expires());
        putTime(out, "last_used", view.lastUsed());
        out.put("blocked", key.blocked());
        return out;
    }

    private static void grantJson(ObjectNode out, Grant grant) {
        ArrayNode models = out.putArray("models");
        grant.models().stream().sorted().forEach(models::add);
        if (grant.budget().max().isPresent()) {
            out.put("max_budget", grant.budget().max().get().asDouble());
        } else {
            out.putNull("max_budget");
        }
        putText(out, "budget_duration", grant.budget().period().map(Durations::format));
        putLong(out, "rpm_limit", grant.limits().rpm());
        putLong(out, "tpm_limit", grant.limits().tpm());
        if (grant.limits().maxParallel().isPresent()) {
            out.put("max_parallel_requests", grant.limits().maxParallel().getAsInt());
        } else {
            out.putNull("max_parallel_requests");
        }
    }

    private static void putLong(ObjectNode out, String field, OptionalLong value) {
        if (value.isPresent()) {
            out.put(field, value.getAsLong());
        } else {
            out.putNull(field);
        }
    }

    private static void putText(ObjectNode out, String field, Optional<String> value) {
        if (value.isPresent()) {
            out.put(field, value.get());
        } else {
            out.putNull(field);
        }
    }

    private static void putTime(ObjectNode out, String field, Optional<Instant> value) {
        putText(out, field, value.map(Instant::toString));
    }

    private JsonNode metadata(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.createObjectNode();
        }
    }

    // ---- teams

    private JsonNode teamNew(ServerRequest req) throws IOException {
        AdminFields fields = new AdminFields(body(req), TEAM_FIELDS, groups);
        String id = fields.text("team_id").orElseGet(() -> UUID.randomUUID().toString());
        Team team = new Team(
                id,
                fields.text("team_alias"),
                fields.grant(Grant.OPEN),
                fields.metadata("metadata"),
                admin.now(),
                fields.flag("blocked", false));
        admin.create(team);
        LOG.log(Level.INFO, "team ''{0}'' created", team.label());
        return teamJson(admin.team(id).orElseThrow());
    }

    private KeyAdminUseCase.TeamView findTeam(String id) {
        return admin.team(id).orElseThrow(() -> new AdminRequestException(404, "no team '" + id + "'"));
    }

    private JsonNode teamInfo(ServerRequest req) {
        String id = requireQuery(req, "team_id");
        KeyAdminUseCase.TeamView view = findTeam(id);
        ObjectNode out = mapper.createObjectNode();
        out.put("team_id", id);
        out.set("team_info", teamJson(view));
        ArrayNode keys = out.putArray("keys");
        admin.keys(Optional.of(id)).forEach(k -> keys.add(keyJson(k)));
        return out;
    }

    private JsonNode teamUpdate(ServerRequest req) throws IOException {
        AdminFields fields = new AdminFields(body(req), TEAM_FIELDS, groups);
        String id = fields.text("team_id").orElseThrow(() -> new AdminRequestException("'team_id' is required"));
        Team team = findTeam(id).team();
        Team changed = new Team(
                id,
                fields.has("team_alias") ? fields.text("team_alias") : team.alias(),
                fields.grant(team.grant()),
                fields.has("metadata") ? fields.metadata("metadata") : team.metadata(),
                team.created(),
                fields.flag("blocked", team.blocked()));
        admin.replace(changed);
        LOG.log(Level.INFO, "team ''{0}'' updated", changed.label());
        return teamJson(findTeam(id));
    }

    private JsonNode teamDelete(ServerRequest req) throws IOException {
        JsonNode body = body(req);
        new AdminFields(body, Set.of("team_ids"), groups);
        List<String> ids = strings(body, "team_ids");
        if (ids.isEmpty()) {
            throw new AdminRequestException("give 'team_ids' to delete");
        }
        ObjectNode out = mapper.createObjectNode();
        ArrayNode deleted = out.putArray("deleted_teams");
        ids.stream().filter(admin::deleteTeam).forEach(deleted::add);
        return out;
    }

    private JsonNode teamList(ServerRequest req) {
        ArrayNode out = mapper.createArrayNode();
        admin.teams().forEach(view -> out.add(teamJson(view)));
        return out;
    }

    private ObjectNode teamJson(KeyAdminUseCase.TeamView view) {
        Team team = view.team();
        ObjectNode out = mapper.createObjectNode();
        out.put("team_id", team.id());
        putText(out, "team_alias", team.alias());
        grantJson(out, team.grant());
        out.put("spend", view.spent().asDouble());
        putTime(out, "budget_reset_at", view.window().resetsAt());
        out.put("keys", view.keys());
        out.set("metadata", metadata(team.metadata()));
        out.put("created_at", team.created().toString());
        out.put("blocked", team.blocked());
        return out;
    }

    // ---- spend

    private JsonNode spendLogs(ServerRequest req) {
        Optional<KeyHash> key =
                query(req, "api_key").map(ref -> KeyHash.looksLikeHash(ref) ? new KeyHash(ref) : KeyHash.of(ref));
        int limit = query(req, "limit").map(KeyAdminHttpService::limit).orElse(1000);
        SpendLog.Query query = new SpendLog.Query(
                key,
                query(req, "team_id"),
                query(req, "model").or(() -> query(req, "model_group")),
                query(req, "start_date").map(d -> date(d, "start_date", false)),
                query(req, "end_date").map(d -> date(d, "end_date", true)),
                limit);
        ArrayNode out = mapper.createArrayNode();
        for (SpendEntry entry : admin.spend(query)) {
            ObjectNode row = out.addObject();
            row.put("request_id", entry.requestId());
            putText(row, "api_key", entry.key().map(KeyHash::hex));
            row.put("key_alias", entry.keyAlias());
            putText(row, "team_id", entry.teamId());
            row.put("model_group", entry.modelGroup());
            row.put("model", entry.modelGroup());
            row.put("deployment", entry.deployment());
            row.put("prompt_tokens", entry.inputTokens());
            row.put("completion_tokens", entry.outputTokens());
            row.put("total_tokens", entry.inputTokens() + entry.outputTokens());
            row.put("searches", entry.searches());
            row.put("spend", entry.cost().asDouble());
            row.put("status", entry.status());
            row.put("endTime", entry.at().toString());
        }
        return out;
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= 10_000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AdminRequestException("'limit' must be a whole number from 1 to 10000");
    }

    /** LiteLLM's {@code YYYY-MM-DD} (an end date includes its day), or an ISO instant. */
    private static Instant date(String text, String field, boolean end) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (end ? day.plusDays(1) : day)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new AdminRequestException(
                    "'" + field + "' must be a date (2026-12-05) or an instant " + "(2026-12-05T10:00:00Z)");
        }
    }
}
