package dev.keyline.app.keys;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.operations.LoopUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/**
 * The admin API as scripts and fuzzers meet it: teams whose budget their keys share, LiteLLM's list and info shapes,
 * and generated requests (wrong types, unknown fields, garbage) that always get a clear Anthropic-shaped 4xx, never
 * a 500; plus wrong keys throttled per address and the chat door's own shape for a key's refusal.
 */
class AdminApiTest {

    private static final String MASTER = "sk-master-admin-test";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    static Path dir;

    private static KeylineServer keyline;
    private static KeyedGateway gateway;

    @BeforeEach
    void stubs() {
        // The extension clears its stubs before each test.
        LoopUpstream.stub(upstream);
    }

    @BeforeAll
    static void start() throws Exception {
        Path config = dir.resolve("keyline.yaml");
        Files.writeString(config, LoopUpstream.CONFIG.formatted(upstream.baseUrl()) + """
                general_settings:
                  master_key: os.environ/MASTER
                """);
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEY", "sk-deployment-admin", "MASTER", MASTER)).load(config),
                "127.0.0.1",
                0,
                InstantSource.system());
        gateway = new KeyedGateway(keyline.baseUrl(), MASTER);
    }

    @AfterAll
    static void stop() {
        if (keyline != null) {
            keyline.close();
        }
    }

    private static final String PLAIN = """
            {"model":"g","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";

    @Test
    void aTeamsBudgetAndGroupsHoldForEachOfItsKeys() throws Exception {
        HttpResponse<String> team = gateway.post(
                "/team/new",
                MASTER,
                "{\"team_id\":\"research\",\"team_alias\":\"Research\",\"max_budget\":0,\"models\":[\"g\"]}");
        assertEquals(200, team.statusCode(), team.body());
        String key = gateway.generate("{\"key_alias\":\"r1\",\"team_id\":\"research\"}")
                .get("key")
                .asText();
        HttpResponse<String> refused = gateway.messages(key, PLAIN);
        assertEquals(402, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("team 'Research' has spent $0.00 of its $0.00 budget"), refused.body());

        HttpResponse<String> raised =
                gateway.post("/team/update", MASTER, "{\"team_id\":\"research\",\"max_budget\":5}");
        assertEquals(5.0, KeyedGateway.json(raised).get("max_budget").asDouble());
        assertEquals(200, gateway.messages(key, PLAIN).statusCode(), "a change applies at once on this replica");

        JsonNode info = KeyedGateway.json(gateway.get("/team/info?team_id=research", MASTER));
        assertEquals("Research", info.get("team_info").get("team_alias").asText());
        assertEquals(1, info.get("keys").size());
        assertEquals("r1", info.get("keys").get(0).get("key_alias").asText());
        JsonNode list = KeyedGateway.json(gateway.get("/key/list?team_id=research", MASTER));
        assertEquals(1, list.get("total_count").asInt());
        assertTrue(list.get("keys").get(0).asText().matches("[0-9a-f]{64}"), "LiteLLM lists tokens");

        HttpResponse<String> unknownTeam = gateway.post("/key/generate", MASTER, "{\"team_id\":\"nobody\"}");
        assertEquals(400, unknownTeam.statusCode());
        assertTrue(unknownTeam.body().contains("no team 'nobody'"), unknownTeam.body());
        HttpResponse<String> taken = gateway.post("/key/generate", MASTER, "{\"key_alias\":\"r1\"}");
        assertEquals(409, taken.statusCode(), taken.body());
    }

    @Test
    void aMisspeltBudgetIsRefusedNotIgnored() throws Exception {
        HttpResponse<String> reply = gateway.post("/key/generate", MASTER, "{\"max_budgett\":1}");
        assertEquals(400, reply.statusCode());
        JsonNode error = KeyedGateway.json(reply).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertTrue(error.get("message").asText().startsWith("unknown field 'max_budgett'"), reply.body());
        HttpResponse<String> group = gateway.post("/key/generate", MASTER, "{\"models\":[\"gpt-5\"]}");
        assertEquals(400, group.statusCode());
        assertTrue(group.body().contains("which this gateway does not serve; its model groups: g"), group.body());
    }

    private static final List<String> FIELDS = List.of(
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
            "metadata",
            "key",
            "keys",
            "key_aliases",
            "team_ids",
            "team_alias",
            "blocked",
            "bogus",
            "",
            "max_budget\u0000");
    private static final List<String> VALUES = List.of(
            "\"x\"",
            "\"\"",
            "\"30d\"",
            "\"30x\"",
            "\"-1d\"",
            "0",
            "-1",
            "1.5",
            "1e400",
            "99999999999999999999",
            "true",
            "null",
            "[]",
            "[\"g\"]",
            "[1]",
            "[\"nope\"]",
            "{}",
            "{\"a\":1}",
            "\"" + "a".repeat(300) + "\"",
            "\"\\u0007bell\"");
    private static final List<String> PATHS =
            List.of("/key/generate", "/key/update", "/key/delete", "/team/new", "/team/update", "/team/delete");
    private static final List<String> RAW = List.of("", "[]", "{", "null", "\"text\"", "{\"a\":", "\u00ff\u00fe");

    private static Gen<String> bodies() {
        Gen<String> pair = integers()
                .between(0, FIELDS.size() - 1)
                .zip(
                        integers().between(0, VALUES.size() - 1),
                        (f, v) -> "\"" + FIELDS.get(f).replace("\u0000", "\\u0000") + "\":" + VALUES.get(v));
        Gen<String> object = lists().of(pair).ofSizeBetween(0, 5).map(fields -> "{" + String.join(",", fields) + "}");
        Gen<String> raw = integers().between(0, RAW.size() - 1).map(RAW::get);
        return integers().between(0, 9).zip(object, raw, (pick, o, r) -> pick == 0 ? r : o);
    }

    @Test
    void generatedAdminRequestsGetAClear4xxOrSucceedNeverA500() {
        Set<Integer> allowed = Set.of(200, 400, 404, 409);
        qt().withExamples(150)
                .forAll(integers().between(0, PATHS.size() - 1), bodies())
                .checkAssert((path, body) -> {
                    HttpResponse<String> reply;
                    try {
                        reply = gateway.post(PATHS.get(path), MASTER, body);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    assertTrue(
                            allowed.contains(reply.statusCode()),
                            PATHS.get(path) + " " + body + " -> " + reply.statusCode() + " " + reply.body());
                    if (reply.statusCode() != 200) {
                        JsonNode error = json(reply).get("error");
                        assertTrue(error.get("message").asText().length() > 5, reply.body());
                        assertFalse(reply.body().contains("Exception"), reply.body());
                    }
                });
    }

    private static JsonNode json(HttpResponse<String> reply) {
        try {
            return KeyedGateway.json(reply);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + reply.body(), e);
        }
    }

    @Test
    void theChatDoorRefusesAKeyInOpenAisShape() throws Exception {
        String key = gateway.generate("{\"key_alias\":\"chat-broke\",\"max_budget\":0}")
                .get("key")
                .asText();
        HttpResponse<String> reply = gateway.post(
                "/v1/chat/completions", key, "{\"model\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(402, reply.statusCode(), reply.body());
        JsonNode error = KeyedGateway.json(reply).get("error");
        assertEquals("billing_error", error.get("type").asText());
        assertTrue(error.get("message").asText().contains("key 'chat-broke' has spent $0.00"), reply.body());
    }
}
