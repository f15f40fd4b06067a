package dev.keyline.app.keys;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.operations.LoopUpstream;
import dev.keyline.domain.testing.TestConditions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual keys as a new user meets them, on the embedded database: two keys, one limited to a group with a small
 * budget; a web-search loop and a plain call priced by tokens and searches; the budgeted key refused with a budget
 * error once spent, the other unaffected; the spend in {@code /spend/logs}; and the budget still held after a
 * restart.
 */
class VirtualKeysTest {

    private static final String MASTER = "sk-master-keys-test";
    private static final String DEPLOYMENT_KEY = "sk-deployment-keys-test";
    /** Per token: input $0.00001, output $0.00005; per search $0.001. */
    private static final String PRICES = """
            model_list:
              - model_name: g
                litellm_params: {model: anthropic/m, api_base: "%1$s/a", api_key: os.environ/KEY,
                                 input_cost_per_token: 1e-5, output_cost_per_token: 5e-5}
                model_info: {id: a}
              - model_name: other
                litellm_params: {model: anthropic/m, api_base: "%1$s/a", api_key: os.environ/KEY}
                model_info: {id: o}
            search_tools:
              - search_tool_name: searx
                litellm_params: {search_provider: searxng, api_base: "%1$s/searx", input_cost_per_query: 0.001}
            litellm_settings:
              callbacks: [websearch_interception]
            general_settings:
              master_key: os.environ/MASTER
            """;

    private static final String PLAIN = """
            {"model":"g","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    Path dir;

    private KeylineServer keyline;

    @AfterEach
    void stop() {
        if (keyline != null) {
            keyline.close();
        }
    }

    private KeyedGateway start() throws Exception {
        Path config = dir.resolve("keyline.yaml");
        Files.writeString(config, PRICES.formatted(upstream.baseUrl()));
        GatewayConfig loaded = new ConfigLoader(Map.of("KEY", DEPLOYMENT_KEY, "MASTER", MASTER)).load(config);
        keyline = KeylineServer.start(loaded, "127.0.0.1", 0, InstantSource.system());
        return new KeyedGateway(keyline.baseUrl(), MASTER);
    }

    @Test
    void aBudgetedKeyIsRefusedOnceSpentWithTheBudgetInTheErrorAndTheOtherKeyIsNot() throws Exception {
        LoopUpstream.stub(upstream);
        KeyedGateway gateway = start();
        assertFalse(Files.exists(dir.resolve("keyline-keys.db")), "no database before the first key");

        JsonNode budgeted = gateway.generate("""
                {"key_alias":"ci-bot","models":["g"],"max_budget":0.003,"budget_duration":"30d"}""");
        JsonNode open = gateway.generate("{\"key_alias\":\"ana\"}");
        String budgetedKey = budgeted.get("key").asText();
        String openKey = open.get("key").asText();
        assertTrue(budgetedKey.startsWith("sk-kl-") && budgetedKey.length() > 40, "a long random key");
        assertTrue(Files.exists(dir.resolve("keyline-keys.db")), "the embedded database, beside the config");

        // A loop: 11 in / 4 out, then 30 in / 6 out, and two searches: $0.00291.
        HttpResponse<String> loop = gateway.messages(budgetedKey, LoopUpstream.LOOP_REQUEST);
        assertEquals(200, loop.statusCode(), loop.body());
        assertTrue(loop.body().contains("web_search_tool_result"), loop.body());
        // Still under $0.003: admitted, and it takes the key over (11 in / 4 out: $0.00031).
        assertEquals(200, gateway.messages(budgetedKey, PLAIN).statusCode());

        HttpResponse<String> refused = gateway.messages(budgetedKey, PLAIN);
        assertEquals(402, refused.statusCode(), refused.body());
        JsonNode error = KeyedGateway.json(refused).get("error");
        assertEquals("billing_error", error.get("type").asText());
        String message = error.get("message").asText();
        assertTrue(message.contains("key 'ci-bot'"), message);
        assertTrue(message.contains("$0.00322 of its $0.003 budget"), message);
        assertTrue(message.contains("it resets at "), message);
        assertFalse(
                message.contains(budgetedKey)
                        || message.contains(budgeted.get("token").asText()),
                message);

        assertEquals(200, gateway.messages(openKey, PLAIN).statusCode(), "the other key is unaffected");
        HttpResponse<String> otherGroup =
                gateway.messages(budgetedKey, PLAIN.replace("\"model\":\"g\"", "\"model\":\"other\""));
        assertEquals(403, otherGroup.statusCode(), otherGroup.body());
        assertTrue(otherGroup.body().contains("may not use model 'other'"), otherGroup.body());

        // The spend log: written in the background, so wait for it.
        String token = budgeted.get("token").asText();
        JsonNode logs =
                TestConditions.await(Duration.ofSeconds(10), () -> spendLogs(gateway, token), rows -> rows.size() == 2);
        JsonNode loopRow = logs.get(1);
        assertEquals("ci-bot", loopRow.get("key_alias").asText());
        assertEquals(2, loopRow.get("searches").asInt());
        assertEquals(0.00291, loopRow.get("spend").asDouble(), 1e-12);
        assertEquals(41, loopRow.get("prompt_tokens").asInt(), "both hops' input");
        assertEquals(10, loopRow.get("completion_tokens").asInt());

        JsonNode info = KeyedGateway.json(gateway.get("/key/info?key=" + budgetedKey, MASTER))
                .get("info");
        assertEquals(0.00322, info.get("spend").asDouble(), 1e-12);
        assertEquals(0.003, info.get("max_budget").asDouble(), 1e-12);
        assertEquals("30d", info.get("budget_duration").asText());
        assertTrue(info.get("key_name").asText().startsWith("sk-kl-"));
        assertFalse(info.toString().contains(budgetedKey), "the key itself is never shown again");

        // A restart reads the spend back from the log: the budget holds.
        keyline.close();
        keyline = null;
        KeyedGateway again = start();
        assertEquals(402, again.messages(budgetedKey, PLAIN).statusCode());
        assertEquals(200, again.messages(openKey, PLAIN).statusCode());
    }

    private static JsonNode spendLogs(KeyedGateway gateway, String token) {
        try {
            return KeyedGateway.json(gateway.get("/spend/logs?api_key=" + token, MASTER));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStreamTheClientLeavesIsStillAccounted() throws Exception {
        // An upstream that sends message_start (7 input tokens), then a word every 50 ms for up to ten seconds.
        com.sun.net.httpserver.HttpServer slow =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.CountDownLatch upstreamDone = new java.util.concurrent.CountDownLatch(1);
        slow.createContext("/a/v1/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("content-type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (java.io.OutputStream out = exchange.getResponseBody()) {
                out.write(("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_l\","
                                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],"
                                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":7,"
                                + "\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":"
                                + "\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                for (int i = 0; i < 200; i++) {
                    out.write(("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"word \"}}\n\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (java.io.IOException | InterruptedException gone) {
                // The gateway hung up, as it must once its client left.
            } finally {
                upstreamDone.countDown();
            }
        });
        slow.start();
        Path config = dir.resolve("keyline.yaml");
        Files.writeString(
                config, PRICES.formatted("http://127.0.0.1:" + slow.getAddress().getPort()));
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEY", DEPLOYMENT_KEY, "MASTER", MASTER)).load(config),
                "127.0.0.1",
                0,
                InstantSource.system());
        KeyedGateway gateway = new KeyedGateway(keyline.baseUrl(), MASTER);
        try {
            JsonNode key = gateway.generate("{\"key_alias\":\"leaver\"}");
            // A raw socket, so leaving is a close the gateway sees at once (a client library may drain the rest).
            String body = PLAIN.replace("\"max_tokens\":64", "\"max_tokens\":64,\"stream\":true");
            java.net.URI base = java.net.URI.create(keyline.baseUrl());
            try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                socket.getOutputStream()
                        .write(("POST /v1/messages HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nx-api-key: "
                                        + key.get("key").asText() + "\r\ncontent-type: application/json\r\n"
                                        + "content-length: " + body.length() + "\r\n\r\n" + body)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                String head =
                        new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals("HTTP/1.1 200", head, "the stream started");
            }
            String token = key.get("token").asText();
            JsonNode row = TestConditions.await(
                            Duration.ofSeconds(15), () -> spendLogs(gateway, token), r -> r.size() == 1)
                    .get(0);
            assertEquals(7, row.get("prompt_tokens").asInt(), "the input the upstream reported before the client left");
            assertEquals(
                    0.00007 + 0.00005 * row.get("completion_tokens").asInt(),
                    row.get("spend").asDouble(),
                    1e-12);
            assertTrue(upstreamDone.await(10, java.util.concurrent.TimeUnit.SECONDS), "the upstream call ended");
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void virtualKeysMayNotUseTheAdminApiOrMetricsAndWrongKeysAreRefused() throws Exception {
        LoopUpstream.stub(upstream);
        KeyedGateway gateway = start();
        String key = gateway.generate("{\"key_alias\":\"bo\"}").get("key").asText();
        for (String path : new String[] {"/key/list", "/spend/logs", "/metrics", "/cooldowns"}) {
            HttpResponse<String> reply = gateway.get(path, key);
            assertEquals(403, reply.statusCode(), path + ": " + reply.body());
            assertEquals(
                    "permission_error",
                    KeyedGateway.json(reply).get("error").get("type").asText());
        }
        HttpResponse<String> wrong = gateway.messages("sk-kl-not-a-key-at-all", PLAIN);
        assertEquals(401, wrong.statusCode());
        assertEquals(
                "authentication_error",
                KeyedGateway.json(wrong).get("error").get("type").asText());
        HttpResponse<String> revoked = gateway.post("/key/delete", MASTER, "{\"key_aliases\":[\"bo\"]}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals(401, gateway.messages(key, PLAIN).statusCode(), "a deleted key stops working at once");

        // Two wrong keys so far from this address; past the limit it is refused unchecked, with retry-after.
        int status = 401;
        for (int i = 2; i < 30 && status == 401; i++) {
            status = gateway.messages("sk-kl-guess-" + i, PLAIN).statusCode();
        }
        HttpResponse<String> throttled = gateway.messages(MASTER, PLAIN);
        assertEquals(429, throttled.statusCode(), "even the right key waits out the minute: " + throttled.body());
        assertTrue(throttled.headers().firstValue("retry-after").isPresent());
        assertTrue(throttled.body().contains("too many wrong keys from this address"), throttled.body());
    }
}
