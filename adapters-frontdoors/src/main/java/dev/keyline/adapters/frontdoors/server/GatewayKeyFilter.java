package dev.keyline.adapters.frontdoors.server;

import dev.keyline.domain.deployment.Credentials;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Admits a request only with the gateway's key ({@code general_settings.master_key}), sent as {@code x-api-key}
 * (Claude Code, older SDKs) or {@code Authorization: Bearer} (SDK 1.x and later). Without a configured key every
 * request is admitted. The presented key stays here: it is never forwarded, logged or echoed.
 */
public final class GatewayKeyFilter implements Handler {

    private static final String BEARER = "bearer ";
    private static final HeaderName X_API_KEY = HeaderNames.create("x-api-key");

    private final Credentials gatewayKey;

    public GatewayKeyFilter(Credentials gatewayKey) {
        this.gatewayKey = Objects.requireNonNull(gatewayKey, "'gatewayKey' must not be null");
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (!gatewayKey.isPresent()) {
            res.next();
            return;
        }
        if (req.headers().first(X_API_KEY).isEmpty() && bearer(req).isEmpty()) {
            refuse(req, res, "missing gateway key: send it in the x-api-key header or as Authorization: Bearer <key>");
            return;
        }
        if (!admits(req)) {
            refuse(req, res, "invalid gateway key");
            return;
        }
        res.next();
    }

    /** @return whether the request carries the gateway key (always, for an open gateway) */
    public boolean admits(ServerRequest req) {
        if (!gatewayKey.isPresent()) {
            return true;
        }
        // Both are checked, never short-circuited: the time taken does not tell which header was tried.
        return req.headers().first(X_API_KEY).map(gatewayKey::matches).orElse(false)
                | bearer(req).map(gatewayKey::matches).orElse(false);
    }

    private static Optional<String> bearer(ServerRequest req) {
        return req.headers()
                .first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.length() > BEARER.length()
                        && value.substring(0, BEARER.length())
                                .toLowerCase(Locale.ROOT)
                                .equals(BEARER))
                .map(value -> value.substring(BEARER.length()).strip());
    }

    /** A refusal in the shape of the surface that was called: OpenAI's on chat completions, else Anthropic's. */
    private static void refuse(ServerRequest req, ServerResponse res, String message) {
        if (req.path().path().endsWith("/chat/completions")) {
            res.status(Status.UNAUTHORIZED_401);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(("{\"error\":{\"message\":\"" + message + "\",\"type\":\"authentication_error\","
                            + "\"param\":null,\"code\":\"invalid_api_key\"}}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        AnthropicErrors.send(res, 401, message);
    }
}
