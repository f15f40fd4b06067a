package dev.keyline.adapters.frontdoors.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.ports.in.ListCooldownsUseCase;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * {@code GET /cooldowns}: the deployments resting now, with their group, end, time left and reason. Ids and
 * reasons only; nothing here can hold a key.
 */
public final class CooldownsHttpService implements HttpService {

    private static final JsonFactory JSON = new JsonFactory();

    private final ListCooldownsUseCase cooldowns;
    private final InstantSource clock;

    public CooldownsHttpService(ListCooldownsUseCase cooldowns, InstantSource clock) {
        this.cooldowns = cooldowns;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) throws IOException {
        List<Cooldown> active = cooldowns.activeCooldowns();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeArrayFieldStart("cooldowns");
            for (Cooldown cooldown : active) {
                out.writeStartObject();
                out.writeStringField("deployment", cooldown.deployment().value());
                out.writeStringField("model_group", cooldown.group().value());
                out.writeStringField("until", cooldown.until().toString());
                out.writeNumberField(
                        "remaining_ms",
                        Math.max(
                                0,
                                Duration.between(clock.instant(), cooldown.until())
                                        .toMillis()));
                out.writeStringField("reason", cooldown.reason());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(bytes.toByteArray());
    }
}
