package dev.keyline.adapters.frontdoors.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@code /health/liveliness} and {@code /health/readiness} (LiteLLM's paths, so existing probes keep working).
 * Neither needs the gateway key, and neither calls an upstream: a sick provider must not get the gateway killed.
 */
public final class HealthHttpService implements HttpService {

    private final byte[] alive;
    private final byte[] ready;

    public HealthHttpService(int modelGroups, int deployments) {
        this.alive = "{\"status\":\"alive\"}".getBytes(StandardCharsets.UTF_8);
        this.ready = ("{\"status\":\"ready\",\"model_groups\":" + modelGroups + ",\"deployments\":" + deployments + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/liveliness", (req, res) -> send(res, alive)).get("/readiness", (req, res) -> send(res, ready));
    }

    private static void send(ServerResponse res, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }
}
