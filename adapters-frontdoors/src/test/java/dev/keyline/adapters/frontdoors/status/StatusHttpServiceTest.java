package dev.keyline.adapters.frontdoors.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.adapters.frontdoors.server.AuthThrottle;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.out.Telemetry;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /ui} over HTTP: who may see it, the sign-in and its cookie, and what the page says with JavaScript off. */
class StatusHttpServiceTest {

    private static final String KEY = "sk-ui-test-key-9";

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T10:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final List<Cooldown> cooldowns = new java.util.concurrent.CopyOnWriteArrayList<>();
    private WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private String start(Credentials key) {
        ModelGroups groups = ModelGroups.of(List.of(
                TestDeployments.deployment("kimi-a", "claude-<b>sonnet</b>"),
                TestDeployments.deployment("kimi-b", "claude-<b>sonnet</b>")));
        StatusHttpService service = new StatusHttpService(
                groups,
                () -> List.copyOf(cooldowns),
                new StatusBoard(clock),
                key,
                clock,
                "Keyline t",
                new AuthThrottle(clock, Telemetry.off()));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.register("/ui", service))
                .build()
                .start();
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void withoutTheKey_thePageIsTheSignInForm_andTheLivePartIsRefused() throws Exception {
        String base = start(Credentials.of(KEY));

        HttpResponse<String> page = get(base + "/ui", null, null);
        HttpResponse<String> live = get(base + "/ui/live", null, null);
        HttpResponse<String> wrong = get(base + "/ui", "x-api-key", "sk-not-it");

        assertEquals(401, page.statusCode());
        assertTrue(page.body().contains("<form method=\"post\" action=\"/ui/login\">"), page.body());
        assertFalse(page.body().contains("kimi-a"), "nothing of the state before signing in");
        assertEquals(401, live.statusCode());
        assertEquals(401, wrong.statusCode());
        assertEquals("no-store", page.headers().firstValue("cache-control").orElseThrow());
        assertTrue(page.headers()
                .firstValue("content-security-policy")
                .orElseThrow()
                .startsWith("default-src 'none'"));
    }

    @Test
    void theKeyInAHeader_showsTheStateRenderedInTheHtml_escaped() throws Exception {
        String base = start(Credentials.of(KEY));
        cooldowns.add(new Cooldown(
                TestDeployments.deployment("kimi-a", "claude-<b>sonnet</b>").id(),
                TestDeployments.deployment("kimi-a", "claude-<b>sonnet</b>").group(),
                now.get().plusSeconds(42),
                "overloaded (HTTP 529) <script>"));

        HttpResponse<String> byApiKey = get(base + "/ui", "x-api-key", KEY);
        HttpResponse<String> byBearer = get(base + "/ui/live", "authorization", "Bearer " + KEY);

        assertEquals(200, byApiKey.statusCode());
        String html = byApiKey.body();
        assertTrue(html.contains("<h3>claude-&lt;b&gt;sonnet&lt;/b&gt;</h3>"), html);
        assertTrue(html.contains("<span class=\"state cooling\">cooling</span>"), html);
        assertTrue(html.contains(">42 s left</span>"), "the countdown is in the HTML, JavaScript or not");
        assertTrue(html.contains("overloaded (HTTP 529) &lt;script&gt;"), "a reason is text, never markup");
        assertFalse(html.contains("<script>\"") || html.contains("(HTTP 529) <script>"));
        assertTrue(html.contains("<span class=\"state healthy\">healthy</span>"), "kimi-b is healthy");
        assertEquals(200, byBearer.statusCode());
        assertTrue(byBearer.body().startsWith("<main id=\"live\""), "the live part alone, for the refresh");
        assertFalse(html.contains(KEY));
    }

    @Test
    void signingIn_setsASignedCookie_thatOpensThePage_untilItExpiresOrIsChanged() throws Exception {
        String base = start(Credentials.of(KEY));

        HttpResponse<String> refused = login(base, "sk-not-it");
        HttpResponse<String> accepted = login(base, KEY);

        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("That is not the gateway key."));
        assertTrue(refused.headers().firstValue("set-cookie").isEmpty());
        assertEquals(303, accepted.statusCode());
        assertEquals("/ui", accepted.headers().firstValue("location").orElseThrow());
        String setCookie = accepted.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        assertFalse(setCookie.contains(KEY), "the cookie never holds the key");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        assertEquals(200, get(base + "/ui", "cookie", cookie).statusCode());
        String tampered = cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("AA") ? "BB" : "AA");
        assertEquals(401, get(base + "/ui", "cookie", tampered).statusCode());
        String longer = cookie.replaceFirst("=(\\d+)\\.", "=9999999999.");
        assertEquals(401, get(base + "/ui", "cookie", longer).statusCode(), "the expiry is signed too");

        now.set(now.get().plus(UiSessions.LIFETIME).plus(Duration.ofSeconds(1)));
        assertEquals(401, get(base + "/ui", "cookie", cookie).statusCode(), "an expired session");
    }

    @Test
    void aSessionOfOneKey_doesNotOpenAGatewayWithAnother() throws Exception {
        String cookie;
        String base = start(Credentials.of(KEY));
        String setCookie = login(base, KEY).headers().firstValue("set-cookie").orElseThrow();
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
        server.stop();

        String rotated = start(Credentials.of("sk-rotated-key-10"));

        assertEquals(401, get(rotated + "/ui", "cookie", cookie).statusCode());
    }

    @Test
    void anOpenGateway_showsThePageToAnyone_asItServesItsApi() throws Exception {
        String base = start(Credentials.none());

        HttpResponse<String> page = get(base + "/ui", null, null);

        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains("Sign out"), "no session to end");
    }

    private HttpResponse<String> login(String base, String key) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/login"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "key=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
