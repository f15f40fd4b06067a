package dev.keyline.app.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.app.DemoAccess;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's budgeted key, as its banner tells a newcomer to use it: search loops until the $0.01 budget is spent and
 * the next one is refused with a budget error, its spend shown by {@code /key/info}.
 */
class DemoKeysTest {

    private static final String SEARCH = """
            {"model":"keyline-demo","max_tokens":512,"tools":[{"type":"web_search_20250305","name":"web_search",
             "max_uses":3}],"messages":[{"role":"user","content":"When was Java 25 released?"}]}""";

    @Test
    void theBudgetedKeyRunsOutAndSaysSo() throws Exception {
        DemoAccess.Started demo = DemoAccess.start();
        try (AutoCloseable running = demo.running()) {
            KeyedGateway gateway = new KeyedGateway(demo.baseUrl(), demo.key());
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < 6 && (last == null || last.statusCode() == 200); i++) {
                last = gateway.messages(demo.budgetedKey(), SEARCH);
                statuses.add(last.statusCode());
            }
            assertTrue(statuses.size() >= 2 && statuses.getFirst() == 200, statuses.toString());
            assertEquals(402, last.statusCode(), "the budget runs out within a few searches: " + statuses);
            assertTrue(last.body().contains("key 'demo-budget' has spent $0.01"), last.body());
            JsonNode info = KeyedGateway.json(gateway.get("/key/info?key=" + demo.budgetedKey(), demo.key()))
                    .get("info");
            assertTrue(info.get("spend").asDouble() >= 0.01, info.toString());
            assertEquals(200, gateway.messages(demo.key(), SEARCH).statusCode(), "the master key is not budgeted");
        }
    }
}
