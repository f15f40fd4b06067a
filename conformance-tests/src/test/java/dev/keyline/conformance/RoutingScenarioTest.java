package dev.keyline.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's promises, checked on the launched gateway: a sick deployment is routed around and contacted
 * rarely until its cooldown ends; a lone deployment's 401 is returned as it is, every time; a fallback chain
 * serves from the backup with the backup's key only.
 */
class RoutingScenarioTest {

    @RegisterExtension
    static WireMockExtension upstream = LaunchedGateway.loopbackUpstream();

    @TempDir
    static Path dir;

    private static LaunchedGateway keyline;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void launch() throws Exception {
        upstream.stubFor(
                post("/sick/v1/messages")
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withBody(
                                                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")));
        upstream.stubFor(post("/healthy/v1/messages").willReturn(aResponse().withBody(UpstreamFixtures.MESSAGE)));
        upstream.stubFor(post("/lone/v1/messages")
                .willReturn(aResponse().withStatus(401).withBody(UpstreamFixtures.UNAUTHORIZED)));
        upstream.stubFor(post("/primary-1/v1/messages")
                .willReturn(aResponse().withStatus(500).withBody("{}")));
        upstream.stubFor(post("/primary-2/v1/messages")
                .willReturn(aResponse().withStatus(503).withBody("{}")));
        upstream.stubFor(post("/backup/v1/messages").willReturn(aResponse().withBody(UpstreamFixtures.MESSAGE)));
        String base = upstream.baseUrl();
        keyline = LaunchedGateway.start(dir, """
                model_list:
                  - {model_name: pair, litellm_params: {model: anthropic/m, api_base: %1$s/sick, api_key: sk-sick}, model_info: {id: sick}}
                  - {model_name: pair, litellm_params: {model: anthropic/m, api_base: %1$s/healthy, api_key: sk-healthy}, model_info: {id: healthy}}
                  - {model_name: lone, litellm_params: {model: anthropic/m, api_base: %1$s/lone, api_key: sk-lone}, model_info: {id: lone}}
                  - {model_name: primary, litellm_params: {model: anthropic/m, api_base: %1$s/primary-1, api_key: sk-p1}, model_info: {id: primary-1}}
                  - {model_name: primary, litellm_params: {model: anthropic/m, api_base: %1$s/primary-2, api_key: sk-p2}, model_info: {id: primary-2}}
                  - {model_name: backup, litellm_params: {model: anthropic/m, api_base: %1$s/backup, api_key: sk-backup}, model_info: {id: backup}}
                router_settings:
                  cooldown_time: 2
                  fallbacks: [{primary: [backup]}]
                """.formatted(base), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        keyline.close();
    }

    @Test
    void aRateLimitedDeployment_isRoutedAround_andContactedRarelyUntilItsCooldownEnds() throws Exception {
        int requests = 120;
        Map<Integer, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            statuses.merge(send("pair").statusCode(), 1, Integer::sum);
            Thread.sleep(40);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int sick = hits("/sick/v1/messages");
        int healthy = hits("/healthy/v1/messages");
        // The figures go to target/ so a run can be quoted (see docs/routing.md).
        Files.writeString(
                Path.of("target", "routing-scenario.txt"),
                String.format(
                        Locale.ROOT,
                        "pair group, cooldown_time 2 s: %d requests in %.1f s, statuses %s, hits sick=%d healthy=%d%n",
                        requests,
                        seconds,
                        statuses,
                        sick,
                        healthy));

        assertEquals(Map.of(200, requests), statuses);
        assertEquals(requests, healthy);
        // Cooldown 2 s: the sick deployment may be tried once per cooldown, and once at the start.
        assertTrue(sick >= 1 && sick <= Math.ceil(seconds / 2) + 1, "sick deployment contacted " + sick + " times");
    }

    @Test
    void aLoneDeploymentsOwn401_isReturnedEveryTime_neverNoDeploymentsAvailable() throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = send("lone");
            assertEquals(401, response.statusCode(), response.body());
            assertTrue(response.body().contains("invalid x-api-key"), response.body());
            assertFalse(response.body().contains("cooling"), response.body());
        }
        assertEquals(20, hits("/lone/v1/messages"));
        HttpResponse<String> cooldowns = http.send(
                HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/cooldowns"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(cooldowns.body().contains("\"lone\""), cooldowns.body());
    }

    @Test
    void aFallbackChain_servesFromTheBackup_withTheBackupsKeyOnly() throws Exception {
        HttpResponse<String> response = send("primary");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "backup", response.headers().firstValue("x-keyline-deployment").orElseThrow());
        upstream.verify(
                postRequestedFor(urlEqualTo("/backup/v1/messages")).withHeader("x-api-key", equalTo("sk-backup")));
        for (ServeEvent event : upstream.getAllServeEvents()) {
            String path = event.getRequest().getUrl();
            String key = event.getRequest().getHeader("x-api-key");
            String owner = path.substring(1, path.indexOf("/v1/"));
            String expected = Map.of(
                            "sick",
                            "sk-sick",
                            "healthy",
                            "sk-healthy",
                            "lone",
                            "sk-lone",
                            "primary-1",
                            "sk-p1",
                            "primary-2",
                            "sk-p2",
                            "backup",
                            "sk-backup")
                    .get(owner);
            assertEquals(expected, key, "the request to " + path + " carried another deployment's key");
        }
    }

    private int hits(String path) {
        return (int) upstream.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(path))
                .count();
    }

    private HttpResponse<String> send(String model) throws Exception {
        return keyline.post(
                "/v1/messages",
                "{\"model\":\"" + model + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());
    }
}
