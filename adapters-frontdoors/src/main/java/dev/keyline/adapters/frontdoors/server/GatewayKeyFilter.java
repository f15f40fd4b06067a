package dev.keyline.adapters.frontdoors.server;

import dev.keyline.domain.deployment.Credentials;
import dev.keyline.ports.in.Caller;
import dev.keyline.ports.in.KeyAccessUseCase;
import dev.keyline.ports.out.StoreException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Admits a request with the gateway's key ({@code general_settings.master_key}) or, on the API, a virtual key the
 * gateway issued, sent as {@code x-api-key} (Claude Code, older SDKs) or {@code Authorization: Bearer} (SDK 1.x and
 * later). Without a configured key every request is admitted as the operator's. The caller found is kept in the
 * request's context; operator-only routes (admin, metrics, cooldowns) refuse a virtual key. A presented key stays
 * here: it is never forwarded, logged or echoed. Wrong keys are counted per client address ({@link AuthThrottle}).
 */
public final class GatewayKeyFilter implements Handler {

    private static final String BEARER = "bearer ";
    private static final HeaderName X_API_KEY = HeaderNames.create("x-api-key");
    private static final System.Logger LOG = System.getLogger(GatewayKeyFilter.class.getName());

    private final Credentials gatewayKey;
    private final KeyAccessUseCase keys;
    private final Optional<AuthThrottle> throttle;
    private final boolean operatorsOnly;

    private GatewayKeyFilter(
            Credentials gatewayKey, KeyAccessUseCase keys, Optional<AuthThrottle> throttle, boolean operatorsOnly) {
        this.gatewayKey = Objects.requireNonNull(gatewayKey, "'gatewayKey' must not be null");
        this.keys = Objects.requireNonNull(keys, "'keys' must not be null");
        this.throttle = Objects.requireNonNull(throttle, "'throttle' must not be null");
        this.operatorsOnly = operatorsOnly;
    }

    /** A filter that admits the master key only (no virtual keys, no throttle): the status page's check. */
    public GatewayKeyFilter(Credentials gatewayKey) {
        this(gatewayKey, KeyAccessUseCase.NONE, Optional.empty(), true);
    }

    /** The API's filter: the master key or a virtual key. */
    public static GatewayKeyFilter api(Credentials gatewayKey, KeyAccessUseCase keys, AuthThrottle throttle) {
        return new GatewayKeyFilter(gatewayKey, keys, Optional.of(throttle), false);
    }

    /** The filter of operator routes: the master key only; a virtual key is refused with 403. */
    public static GatewayKeyFilter operators(Credentials gatewayKey, KeyAccessUseCase keys, AuthThrottle throttle) {
        return new GatewayKeyFilter(gatewayKey, keys, Optional.of(throttle), true);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (!gatewayKey.isPresent()) {
            res.next();
            return;
        }
        String address = address(req);
        Optional<Duration> wait = throttle.flatMap(t -> t.throttled(address));
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
            refuse(req, res, 429, "too many wrong keys from this address; try again in " + seconds + " s");
            return;
        }
        Optional<String> header = req.headers().first(X_API_KEY);
        Optional<String> bearer = bearer(req);
        if (header.isEmpty() && bearer.isEmpty()) {
            throttle.ifPresent(t -> t.failed(address));
            refuse(
                    req,
                    res,
                    401,
                    "missing gateway key: send it in the x-api-key header or as Authorization: Bearer <key>");
            return;
        }
        if (admits(header, bearer)) {
            req.context().register(new Authenticated(Caller.OPERATOR));
            res.next();
            return;
        }
        Optional<Caller.KeyHolder> holder;
        try {
            holder = header.or(() -> bearer).flatMap(keys::authenticate);
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "the key store could not check a key: {0}", e.getMessage());
            refuse(req, res, 503, "the gateway cannot check keys now (its key store is unavailable); try again");
            return;
        }
        if (holder.isEmpty()) {
            throttle.ifPresent(t -> t.failed(address));
            refuse(req, res, 401, "invalid gateway key");
            return;
        }
        if (operatorsOnly) {
            refuse(req, res, 403, "this endpoint needs the gateway's master key; a virtual key may not use it");
            return;
        }
        req.context().register(new Authenticated(holder.get()));
        res.next();
    }

    /** @return whether the request carries the master key (always, for an open gateway) */
    public boolean admits(ServerRequest req) {
        if (!gatewayKey.isPresent()) {
            return true;
        }
        return admits(req.headers().first(X_API_KEY), bearer(req));
    }

    private boolean admits(Optional<String> header, Optional<String> bearer) {
        // Both are checked, never short-circuited: the time taken does not tell which header was tried.
        return header.map(gatewayKey::matches).orElse(false)
                | bearer.map(gatewayKey::matches).orElse(false);
    }

    /** @return the connection's peer address, as the throttle counts it */
    public static String address(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : "unknown";
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
    private static void refuse(ServerRequest req, ServerResponse res, int status, String message) {
        if (req.path().path().endsWith("/chat/completions")) {
            String type = AnthropicErrors.typeFor(status);
            String code = status == 401 ? "invalid_api_key" : type;
            res.status(Status.create(status));
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(("{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\","
                            + "\"param\":null,\"code\":\"" + code + "\"}}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        AnthropicErrors.send(res, status, message);
    }
}
