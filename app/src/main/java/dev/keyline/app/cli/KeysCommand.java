package dev.keyline.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code keyline keys create|list|revoke}: the admin API for operators without curl, against a running gateway. The
 * master key is read from an environment variable ({@code KEYLINE_MASTER_KEY}, or the one {@code --master-key-env}
 * names), never from the command line, where shell history and {@code ps} would show it.
 */
public final class KeysCommand {

    public static final String USAGE = """
            usage: keyline keys create [--alias NAME] [--models G1,G2] [--budget USD] [--budget-duration 30d]
                                       [--rpm N] [--tpm N] [--parallel N] [--expires-in 90d] [--team ID] [--user ID]
                   keyline keys list [--team ID]
                   keyline keys revoke ALIAS_OR_KEY...
              common: [--url http://127.0.0.1:4000] [--master-key-env KEYLINE_MASTER_KEY]""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Map<String, String> CREATE_OPTIONS = Map.of(
            "--alias", "key_alias",
            "--budget-duration", "budget_duration",
            "--expires-in", "duration",
            "--team", "team_id",
            "--user", "user_id");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    public KeysCommand(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = Map.copyOf(environment);
    }

    /** @return the exit code: 0 done, 1 the gateway refused or was away, 2 a usage mistake */
    public int run(List<String> args) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        String action = args.getFirst();
        String url = "http://127.0.0.1:4000";
        String keyEnv = "KEYLINE_MASTER_KEY";
        ObjectNode body = JSON.createObjectNode();
        List<String> positional = new ArrayList<>();
        try {
            for (int i = 1; i < args.size(); i++) {
                String option = args.get(i);
                if (!option.startsWith("--")) {
                    positional.add(option);
                    continue;
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args.get(++i);
                switch (option) {
                    case "--url" -> url = value.replaceAll("/+$", "");
                    case "--master-key-env" -> keyEnv = value;
                    case "--models" -> {
                        ArrayNode models = body.putArray("models");
                        for (String group : value.split(",")) {
                            if (!group.isBlank()) {
                                models.add(group.strip());
                            }
                        }
                    }
                    case "--budget" -> body.put("max_budget", number(option, value));
                    case "--rpm" -> body.put("rpm_limit", whole(option, value));
                    case "--tpm" -> body.put("tpm_limit", whole(option, value));
                    case "--parallel" -> body.put("max_parallel_requests", whole(option, value));
                    default -> {
                        String field = CREATE_OPTIONS.get(option);
                        if (field == null) {
                            throw new IllegalArgumentException("unknown option " + option);
                        }
                        body.put(field, value);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("keyline keys: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String masterKey = environment.get(keyEnv);
        if (masterKey == null || masterKey.isBlank()) {
            err.println("keyline keys: set " + keyEnv + " to the gateway's master key (it is not taken on the"
                    + " command line, where shell history would keep it)");
            return 2;
        }
        Admin admin = new Admin(url, masterKey);
        try {
            return switch (action) {
                case "create" -> create(admin, body, positional);
                case "list" -> list(admin, body, positional);
                case "revoke" -> revoke(admin, body, positional);
                default -> {
                    err.println("keyline keys: unknown action '" + action + "'");
                    err.println(USAGE);
                    yield 2;
                }
            };
        } catch (IOException e) {
            err.println("keyline keys: " + url + " did not answer ("
                    + e.getClass().getSimpleName() + "); is the" + " gateway running there? Pass --url");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Refused e) {
            err.println("keyline keys: " + e.getMessage());
            return 1;
        }
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number of dollars, got '" + value + "'");
        }
    }

    private static long whole(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'");
        }
    }

    private int create(Admin admin, ObjectNode body, List<String> positional) throws IOException, InterruptedException {
        if (!positional.isEmpty()) {
            err.println("keyline keys create: unexpected '" + positional.getFirst() + "'");
            return 2;
        }
        JsonNode key = admin.call("POST", "/key/generate", body);
        out.println(key.path("key").asText());
        err.println("created " + describe(key) + ". The key is shown this once; keep it now.");
        return 0;
    }

    private int list(Admin admin, ObjectNode body, List<String> positional) throws IOException, InterruptedException {
        if (!positional.isEmpty() || body.size() > (body.has("team_id") ? 1 : 0)) {
            err.println("keyline keys list: takes only --team");
            return 2;
        }
        String team = body.path("team_id").asText("");
        JsonNode keys = admin.call(
                "GET",
                "/key/list?return_full_object=true"
                        + (team.isEmpty() ? "" : "&team_id=" + URLEncoder.encode(team, StandardCharsets.UTF_8)),
                null);
        out.printf("%-24s %-12s %-22s %-10s %-20s %s%n", "ALIAS", "KEY", "SPEND / BUDGET", "TEAM", "MODELS", "STATE");
        for (JsonNode key : keys.path("keys")) {
            String budget = key.path("max_budget").isNumber()
                    ? String.format(
                            "$%.4f / $%.2f",
                            key.path("spend").asDouble(), key.path("max_budget").asDouble())
                    : String.format("$%.4f", key.path("spend").asDouble());
            List<String> models = new ArrayList<>();
            key.path("models").forEach(m -> models.add(m.asText()));
            out.printf(
                    "%-24s %-12s %-22s %-10s %-20s %s%n",
                    key.path("key_alias").asText("-"),
                    key.path("key_name").asText(),
                    budget,
                    key.path("team_id").asText("-"),
                    models.isEmpty() ? "all" : String.join(",", models),
                    key.path("blocked").asBoolean() ? "revoked" : "active");
        }
        return 0;
    }

    private int revoke(Admin admin, ObjectNode body, List<String> positional) throws IOException, InterruptedException {
        if (positional.isEmpty() || !body.isEmpty()) {
            err.println("keyline keys revoke: name the keys to revoke, by alias or key");
            return 2;
        }
        JsonNode keys = admin.call("GET", "/key/list?return_full_object=true", null);
        int failed = 0;
        for (String name : positional) {
            String token = null;
            for (JsonNode key : keys.path("keys")) {
                if (name.equals(key.path("key_alias").asText(null))) {
                    token = key.path("token").asText();
                }
            }
            ObjectNode update = JSON.createObjectNode();
            update.put("key", token != null ? token : name);
            update.put("blocked", true);
            try {
                JsonNode key = admin.call("POST", "/key/update", update);
                out.println("revoked " + describe(key) + " (its spend history is kept)");
            } catch (Refused e) {
                err.println("keyline keys revoke: " + (token != null ? name : "that key") + ": " + e.getMessage());
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static String describe(JsonNode key) {
        return "'" + key.path("key_alias").asText(key.path("key_name").asText()) + "' ("
                + key.path("key_name").asText() + ")";
    }

    /** The gateway answered with an error; its message is the gateway's own words. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private record Admin(String url, String masterKey) {
        JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(WAIT)
                    .header("x-api-key", masterKey)
                    .header("content-type", "application/json");
            request = body == null
                    ? request.GET()
                    : request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            HttpResponse<String> reply;
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build()) {
                reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            JsonNode json;
            try {
                json = JSON.readTree(reply.body());
            } catch (IOException e) {
                throw new Refused("the gateway answered " + reply.statusCode() + " with something not JSON");
            }
            if (reply.statusCode() != 200) {
                throw new Refused(reply.statusCode() + ": "
                        + json.path("error").path("message").asText(reply.body()));
            }
            return json;
        }
    }
}
