package dev.keyline.adapters.frontdoors.status;

import dev.keyline.adapters.frontdoors.server.AuthThrottle;
import dev.keyline.adapters.frontdoors.server.GatewayKeyFilter;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.ports.in.KeyAdminUseCase;
import dev.keyline.ports.in.ListCooldownsUseCase;
import dev.keyline.ports.out.SpendLog;
import dev.keyline.ports.out.StoreException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /ui}: the status page. It asks for the gateway key as the API does ({@code x-api-key} or a bearer token)
 * or for the session cookie a browser gets by signing in once at {@code POST /ui/login}; an open gateway (no key
 * configured) shows it to anyone who can reach it, as it serves its API.
 */
public final class StatusHttpService implements HttpService {

    private static final String COOKIE = "keyline_ui";
    private static final HeaderName SET_COOKIE = HeaderNames.create("Set-Cookie");
    /** Inline style and script are the page's own; nothing may load from elsewhere, nor frame it. */
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    /** A sign-in form is small; a bigger body is not one. */
    private static final int MAX_FORM_BYTES = 4_096;

    private final ModelGroups groups;
    private final ListCooldownsUseCase cooldowns;
    private final StatusBoard board;
    private final Credentials gatewayKey;
    private final GatewayKeyFilter keyFilter;
    private final UiSessions sessions;
    private final InstantSource clock;
    private final String version;
    private final AuthThrottle throttle;
    private final Optional<KeyAdminUseCase> keys;

    /** @param version the gateway's name and version, shown in the page's header */
    public StatusHttpService(
            ModelGroups groups,
            ListCooldownsUseCase cooldowns,
            StatusBoard board,
            Credentials gatewayKey,
            InstantSource clock,
            String version,
            AuthThrottle throttle,
            Optional<KeyAdminUseCase> keys) {
        this.groups = Objects.requireNonNull(groups, "'groups' must not be null");
        this.cooldowns = Objects.requireNonNull(cooldowns, "'cooldowns' must not be null");
        this.board = Objects.requireNonNull(board, "'board' must not be null");
        this.gatewayKey = Objects.requireNonNull(gatewayKey, "'gatewayKey' must not be null");
        this.keyFilter = new GatewayKeyFilter(gatewayKey);
        this.sessions = new UiSessions(gatewayKey, clock);
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.version = Objects.requireNonNull(version, "'version' must not be null");
        this.throttle = Objects.requireNonNull(throttle, "'throttle' must not be null");
        this.keys = Objects.requireNonNull(keys, "'keys' must not be null");
    }

    /** A status page without virtual keys. */
    public StatusHttpService(
            ModelGroups groups,
            ListCooldownsUseCase cooldowns,
            StatusBoard board,
            Credentials gatewayKey,
            InstantSource clock,
            String version,
            AuthThrottle throttle) {
        this(groups, cooldowns, board, gatewayKey, clock, version, throttle, Optional.empty());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::page)
                .get("/live", this::live)
                .get("/keys", this::keys)
                .post("/login", this::login)
                .post("/logout", this::logout);
    }

    private void page(ServerRequest req, ServerResponse res) {
        if (!admitted(req)) {
            html(res, Status.UNAUTHORIZED_401, StatusPage.signIn(Optional.empty()));
            return;
        }
        html(res, Status.OK_200, StatusPage.page(view(hasSession(req))));
    }

    private void keys(ServerRequest req, ServerResponse res) {
        if (!admitted(req)) {
            html(res, Status.UNAUTHORIZED_401, StatusPage.signIn(Optional.empty()));
            return;
        }
        if (keys.isEmpty()) {
            html(res, Status.NOT_FOUND_404, "<p>Virtual keys are off on this gateway.</p>");
            return;
        }
        KeyAdminUseCase admin = keys.get();
        KeysPage.Range range = KeysPage.Range.named(req.query().first("range").orElse("24h"));
        SpendLog.Dimension by = switch (req.query().first("by").orElse("key")) {
            case "team" -> SpendLog.Dimension.TEAM;
            case "model_group" -> SpendLog.Dimension.MODEL_GROUP;
            default -> SpendLog.Dimension.KEY;
        };
        Instant now = clock.instant();
        Instant from = range.from(now);
        try {
            html(
                    res,
                    Status.OK_200,
                    KeysPage.page(
                            admin.keys(Optional.empty()),
                            admin.teams(),
                            admin.chart(from, from.plus(range.span), range.width, by),
                            range,
                            by,
                            now,
                            version));
        } catch (StoreException e) {
            html(res, Status.SERVICE_UNAVAILABLE_503, "<p>The key store is unavailable; try again.</p>");
        }
    }

    private void live(ServerRequest req, ServerResponse res) {
        if (!admitted(req)) {
            html(res, Status.UNAUTHORIZED_401, "<main id=\"live\">Signed out: reload the page to sign in.</main>");
            return;
        }
        html(res, Status.OK_200, StatusPage.live(view(hasSession(req))));
    }

    private void login(ServerRequest req, ServerResponse res) {
        if (!gatewayKey.isPresent()) {
            redirectHome(res);
            return;
        }
        String address = GatewayKeyFilter.address(req);
        if (throttle.throttled(address).isPresent()) {
            html(
                    res,
                    Status.TOO_MANY_REQUESTS_429,
                    StatusPage.signIn(
                            Optional.of("Too many wrong keys from this address; wait a minute and try again.")));
            return;
        }
        Optional<String> key = formKey(req);
        if (key.isEmpty() || !gatewayKey.matches(key.get())) {
            throttle.failed(address);
            html(res, Status.UNAUTHORIZED_401, StatusPage.signIn(Optional.of("That is not the gateway key.")));
            return;
        }
        sessions.issue()
                .ifPresent(token -> res.header(
                        SET_COOKIE,
                        COOKIE + "=" + token + "; Path=/ui; Max-Age=" + UiSessions.LIFETIME.toSeconds()
                                + "; HttpOnly; SameSite=Strict"));
        redirectHome(res);
    }

    private void logout(ServerRequest req, ServerResponse res) {
        res.header(SET_COOKIE, COOKIE + "=; Path=/ui; Max-Age=0; HttpOnly; SameSite=Strict");
        redirectHome(res);
    }

    private StatusPage.View view(boolean signedIn) {
        return new StatusPage.View(
                groups, cooldowns.activeCooldowns(), board, clock.instant(), version, signedIn, keys.isPresent());
    }

    private boolean admitted(ServerRequest req) {
        return keyFilter.admits(req) || hasSession(req);
    }

    private boolean hasSession(ServerRequest req) {
        return req.headers().cookies().first(COOKIE).map(sessions::valid).orElse(false);
    }

    /** @return the {@code key} field of a URL-encoded sign-in form */
    private static Optional<String> formKey(ServerRequest req) {
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (body.length > MAX_FORM_BYTES) {
            return Optional.empty();
        }
        for (String field : new String(body, StandardCharsets.US_ASCII).split("&")) {
            if (field.startsWith("key=")) {
                try {
                    return Optional.of(URLDecoder.decode(field.substring(4), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static void redirectHome(ServerResponse res) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, "/ui");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }

    private static void html(ServerResponse res, Status status, String html) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create("Content-Security-Policy"), POLICY);
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }
}
