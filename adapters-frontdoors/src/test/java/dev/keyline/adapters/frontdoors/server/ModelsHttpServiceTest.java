package dev.keyline.adapters.frontdoors.server;

import static dev.keyline.domain.testing.TestDeployments.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.testing.InMemoryCooldownStore;
import dev.keyline.ports.testing.MutableClock;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models}: the model groups, paged in Anthropic's shape, or in OpenAI's for OpenAI-style callers. */
class ModelsHttpServiceTest {

    private static final String KEY = "sk-gateway-models";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static WebServer gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(
                List.of(
                        deployment("c-1", "gamma"),
                        deployment("a-1", "alpha"),
                        deployment("a-2", "alpha"),
                        deployment("b-1", "beta")),
                Credentials.of(KEY),
                new InMemoryCooldownStore(MutableClock.atSomeMoment()));
    }

    @AfterAll
    static void stop() {
        gateway.stop();
    }

    @Test
    void theAnthropicShape_pagesThroughTheGroups_byName() throws Exception {
        JsonNode first = get("/v1/models?limit=2", "x-api-key", KEY, true);
        assertEquals(List.of("alpha", "beta"), ids(first));
        assertEquals("model", first.at("/data/0/type").asText());
        assertEquals("alpha", first.at("/data/0/display_name").asText());
        assertTrue(first.at("/data/0/created_at").asText().endsWith("Z"));
        assertTrue(first.get("has_more").asBoolean());
        assertEquals("beta", first.get("last_id").asText());

        JsonNode next = get("/v1/models?limit=2&after_id=beta", "x-api-key", KEY, true);
        assertEquals(List.of("gamma"), ids(next));
        assertFalse(next.get("has_more").asBoolean());
        assertEquals(List.of("alpha"), ids(get("/v1/models?limit=1&before_id=beta", "x-api-key", KEY, true)));
        assertEquals(
                "beta", get("/v1/models/beta", "x-api-key", KEY, true).get("id").asText());
    }

    @Test
    void anOpenAiStyleCaller_getsOpenAisShape_andNoBaseOrKeyShowsAnywhere() throws Exception {
        JsonNode list = get("/v1/models", "authorization", "Bearer " + KEY, false);

        assertEquals("list", list.get("object").asText());
        assertEquals(List.of("alpha", "beta", "gamma"), ids(list));
        assertEquals("model", list.at("/data/0/object").asText());
        assertEquals("keyline", list.at("/data/0/owned_by").asText());
        assertFalse(list.toString().contains(TestDeployments.KEY));
        assertFalse(list.toString().contains("127.0.0.1"));
    }

    @Test
    void anUnknownModel_is404_andTheListNeedsTheGatewayKey() throws Exception {
        assertEquals(404, status("/v1/models/kimi-k2.5", "x-api-key", KEY));
        assertEquals(401, status("/v1/models", "x-api-key", "sk-wrong"));
        assertEquals(400, status("/v1/models?limit=0", "x-api-key", KEY));
    }

    private JsonNode get(String path, String header, String value, boolean anthropic) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header(header, value);
        if (anthropic) {
            request.header("anthropic-version", "2023-06-01");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    private int status(String path, String header, String value) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                                .header(header, value)
                                .header("anthropic-version", "2023-06-01")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(model -> ids.add(model.get("id").asText()));
        return ids;
    }
}
