package dev.keyline.adapters.frontdoors.status;

import dev.keyline.adapters.frontdoors.server.FinishedRequest;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.ports.in.Hop;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders the status page: plain HTML with the state in it (useful with JavaScript off), a little script that
 * refreshes the live part every two seconds and counts rests down each second, no external resource of any kind.
 * Every value written is escaped; none is a key, a base URL or a client's message.
 */
final class StatusPage {

    /** How many of the board's recent requests the page lists. */
    static final int LISTED = 20;

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final String STYLE = """
            :root{color-scheme:light dark;--ok:#1a7f37;--warn:#b35900;--bad:#c62828;--muted:#6e7781}
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;\
            padding:12px 16px}
            header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:baseline;border-bottom:1px solid #8884;\
            padding-bottom:8px}
            h1{font-size:20px;margin:0}h2{font-size:16px;margin:20px 0 8px}h3{font-size:14px;margin:12px 0 4px}
            .muted{color:var(--muted)}
            dl.totals{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px;margin:0}
            dl.totals div{border:1px solid #8884;border-radius:6px;padding:6px 10px}
            dl.totals dt{color:var(--muted);font-size:12px}dl.totals dd{margin:0;font-size:18px;font-weight:600}
            .scroll{overflow-x:auto}
            table{border-collapse:collapse;width:100%}
            th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #8883;vertical-align:top}
            th{font-size:12px;color:var(--muted);font-weight:600}
            .state{font-weight:600;white-space:nowrap}
            .healthy{color:var(--ok)}.cooling{color:var(--bad)}.limited{color:var(--warn)}
            .reason{color:var(--muted);font-size:12px;max-width:480px}
            ol.hops{margin:0;padding-left:18px;font-size:12px}
            code{font-size:12px}
            form.inline{display:inline;margin-left:auto}
            .bar{display:inline-block;width:120px;height:10px;border:1px solid #8886;border-radius:3px;\
            vertical-align:middle;margin-right:6px;overflow:hidden}
            .bar span{display:block;height:100%;background:var(--ok)}.bar span.high{background:var(--warn)}\
            .bar span.over{background:var(--bad)}
            nav a{margin-right:12px}
            svg.chart{max-width:100%;height:auto}svg.chart text{font-size:11px;fill:currentColor}
            .legend span{display:inline-block;margin-right:12px;font-size:12px}
            .legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
            @media (max-width:640px){body{padding:8px}th.wide,td.wide{display:none}}
            """;

    private static final String SCRIPT = """
            (function(){
              var skew = 0;
              function tick(){
                var now = Date.now() - skew;
                document.querySelectorAll('[data-until]').forEach(function(el){
                  var left = Math.max(0, Math.ceil((Number(el.dataset.until) - now) / 1000));
                  el.textContent = left > 0 ? left + ' s left' : 'ending';
                });
              }
              function adopt(live){
                skew = Date.now() - Number(live.dataset.now);
                tick();
              }
              function refresh(){
                fetch('/ui/live', {credentials: 'same-origin', cache: 'no-store'})
                  .then(function(r){ if (!r.ok) throw new Error(r.status); return r.text(); })
                  .then(function(html){
                    var old = document.getElementById('live');
                    var box = document.createElement('div');
                    box.innerHTML = html;
                    var fresh = box.firstElementChild;
                    old.replaceWith(fresh);
                    adopt(fresh);
                    document.getElementById('refreshed').textContent = 'live';
                  })
                  .catch(function(){ document.getElementById('refreshed').textContent = 'refresh failed'; });
              }
              adopt(document.getElementById('live'));
              setInterval(tick, 1000);
              setInterval(refresh, 2000);
            })();
            """;

    private StatusPage() {}

    /** What the page shows. */
    record View(
            ModelGroups groups,
            List<Cooldown> cooldowns,
            StatusBoard board,
            Instant now,
            String version,
            boolean signedIn,
            boolean keys) {}

    static String page(View view) {
        StringBuilder html = new StringBuilder(16_384);
        head(html, "Keyline status");
        html.append("<header><h1>Keyline status</h1><span class=\"muted\">")
                .append(escape(view.version()))
                .append(" · <span id=\"refreshed\">as rendered</span></span>");
        if (view.keys()) {
            html.append("<nav><a id=\"keys-link\" href=\"/ui/keys\">Keys &amp; spend</a></nav>");
        }
        if (view.signedIn()) {
            html.append("<form class=\"inline\" method=\"post\" action=\"/ui/logout\">"
                    + "<button type=\"submit\">Sign out</button></form>");
        }
        html.append("</header>\n");
        live(html, view);
        html.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    /** The refreshed part alone: one element, {@code #live}. */
    static String live(View view) {
        StringBuilder html = new StringBuilder(12_288);
        live(html, view);
        return html.toString();
    }

    static String signIn(Optional<String> problem) {
        StringBuilder html = new StringBuilder(2_048);
        head(html, "Keyline status: sign in");
        html.append("<header><h1>Keyline status</h1></header>\n<main><h2>Sign in</h2>");
        problem.ifPresent(p -> html.append("<p class=\"cooling\" role=\"alert\">")
                .append(escape(p))
                .append("</p>"));
        html.append("<form method=\"post\" action=\"/ui/login\">"
                + "<label for=\"key\">Gateway key</label><br>"
                + "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" size=\"40\""
                + " required autofocus> "
                + "<button id=\"sign-in\" type=\"submit\">Sign in</button></form>"
                + "<p class=\"muted\">The gateway's key (<code>general_settings.master_key</code>). The browser keeps"
                + " a signed session cookie for 12 hours, never the key.</p></main></body></html>\n");
        return html.toString();
    }

    static void head(StringBuilder html, String title) {
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        + "<meta name=\"robots\" content=\"noindex\"><title>")
                .append(escape(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n");
    }

    private static void live(StringBuilder html, View view) {
        html.append("<main id=\"live\" data-now=\"")
                .append(view.now().toEpochMilli())
                .append("\">\n");
        totals(html, view.board().totals());
        deployments(html, view);
        recent(html, view.board().recent());
        html.append("</main>\n");
    }

    private static void totals(StringBuilder html, StatusBoard.Totals totals) {
        html.append("<section id=\"totals\"><h2>Since start</h2><dl class=\"totals\">");
        total(html, "requests", "Requests", totals.requests());
        total(html, "client-errors", "Answered 4xx", totals.clientErrors());
        total(html, "server-errors", "Answered 5xx", totals.serverErrors());
        total(html, "fallbacks", "Fallbacks", totals.fallbacks());
        total(html, "cooldowns", "Rests started", totals.cooldownsStarted());
        total(html, "searches", "Searches", totals.searches());
        total(html, "input-tokens", "Input tokens", totals.inputTokens());
        total(html, "output-tokens", "Output tokens", totals.outputTokens());
        total(html, "open-streams", "Streams open", totals.openStreams());
        html.append("</dl></section>\n");
    }

    private static void total(StringBuilder html, String id, String label, long value) {
        html.append("<div><dt>")
                .append(label)
                .append("</dt><dd id=\"total-")
                .append(id)
                .append("\">")
                .append(value)
                .append("</dd></div>");
    }

    private static void deployments(StringBuilder html, View view) {
        Map<String, Cooldown> resting = view.cooldowns().stream()
                .filter(c -> c.isActiveAt(view.now()))
                .collect(Collectors.toMap(c -> c.deployment().value(), Function.identity(), (a, b) -> a));
        html.append("<section id=\"deployments\"><h2>Deployments</h2>");
        List<ModelGroup> groups = view.groups().all().stream()
                .sorted(Comparator.comparing(g -> g.name().value()))
                .toList();
        for (ModelGroup group : groups) {
            html.append("<h3>").append(escape(group.name().value())).append("</h3>");
            html.append("<div class=\"scroll\"><table><thead><tr><th>Deployment</th><th>State</th>"
                    + "<th class=\"wide\">Provider model</th><th class=\"wide\">Limits</th></tr></thead><tbody>");
            for (Deployment deployment : group.deployments()) {
                String id = deployment.id().value();
                html.append("<tr id=\"deployment-")
                        .append(escape(id))
                        .append("\"><td><code>")
                        .append(escape(id))
                        .append("</code></td><td>");
                state(html, view, resting.get(id), view.board().atLimit(id));
                html.append("</td><td class=\"wide\"><code>")
                        .append(escape(deployment.provider() + "/" + deployment.providerModel()))
                        .append("</code></td><td class=\"wide\">")
                        .append(escape(limits(deployment)))
                        .append("</td></tr>");
            }
            html.append("</tbody></table></div>");
        }
        html.append("</section>\n");
    }

    private static void state(StringBuilder html, View view, Cooldown cooldown, Optional<StatusBoard.LimitHit> limit) {
        if (cooldown != null) {
            html.append("<span class=\"state cooling\">cooling</span> · <span class=\"countdown\" data-until=\"")
                    .append(cooldown.until().toEpochMilli())
                    .append("\">")
                    .append(secondsLeft(view.now(), cooldown.until()))
                    .append(" s left</span><div class=\"reason\">")
                    .append(escape(cooldown.reason()))
                    .append("</div>");
        } else if (limit.isPresent()) {
            html.append("<span class=\"state limited\">at its ")
                    .append(escape(limit.get().limit().configName()))
                    .append(" limit</span> · <span class=\"countdown\" data-until=\"")
                    .append(limit.get().until().toEpochMilli())
                    .append("\">")
                    .append(secondsLeft(view.now(), limit.get().until()))
                    .append(" s left</span>");
        } else {
            html.append("<span class=\"state healthy\">healthy</span>");
        }
    }

    private static long secondsLeft(Instant now, Instant until) {
        return Math.max(0, (Duration.between(now, until).toMillis() + 999) / 1000);
    }

    private static String limits(Deployment deployment) {
        StringBuilder limits = new StringBuilder();
        deployment
                .routing()
                .rpm()
                .ifPresent(rpm -> limits.append("rpm ").append(rpm).append(' '));
        deployment
                .routing()
                .tpm()
                .ifPresent(tpm -> limits.append("tpm ").append(tpm).append(' '));
        deployment
                .routing()
                .maxParallelRequests()
                .ifPresent(p -> limits.append("parallel ").append(p).append(' '));
        return limits.isEmpty() ? "none" : limits.toString().strip();
    }

    private static void recent(StringBuilder html, List<FinishedRequest> recent) {
        html.append("<section id=\"recent\"><h2>Recent requests</h2>");
        if (recent.isEmpty()) {
            html.append("<p class=\"muted\">None yet.</p></section>\n");
            return;
        }
        html.append("<div class=\"scroll\"><table><thead><tr><th>Time (UTC)</th><th>Model group</th><th>Served by</th>"
                + "<th>Status</th><th>Time</th><th class=\"wide\">Added</th><th>Searches</th><th>Hops</th>"
                + "<th class=\"wide\">Request id</th></tr></thead><tbody>");
        for (FinishedRequest request : recent.subList(0, Math.min(LISTED, recent.size()))) {
            html.append("<tr class=\"request\"><td>")
                    .append(CLOCK.format(request.at()))
                    .append("</td><td>")
                    .append(escape(request.modelGroup()))
                    .append("</td><td><code>")
                    .append(escape(request.deployment()))
                    .append("</code></td><td class=\"")
                    .append(request.status() >= 400 ? "cooling" : "healthy")
                    .append("\">")
                    .append(request.status())
                    .append("</td><td>")
                    .append(millis(request.elapsed()))
                    .append("</td><td class=\"wide\">")
                    .append(millis(request.added()))
                    .append("</td><td>")
                    .append(request.searches().size())
                    .append("</td><td><ol class=\"hops\">");
            for (Hop hop : request.hops()) {
                html.append("<li>")
                        .append(hop.role().label().replace('_', '-'))
                        .append(" → <code>")
                        .append(escape(hop.deployment()))
                        .append("</code> ")
                        .append(escape(hop.outcome()));
                if (hop.status() > 0) {
                    html.append(' ').append(hop.status());
                }
                html.append(", ").append(millis(hop.upstream()));
                if (hop.searches() > 0) {
                    html.append(", ").append(hop.searches()).append(hop.searches() == 1 ? " search" : " searches");
                }
                html.append("</li>");
            }
            html.append("</ol></td><td class=\"wide\"><code>")
                    .append(escape(request.id()))
                    .append("</code></td></tr>");
        }
        html.append("</tbody></table></div></section>\n");
    }

    private static String millis(Duration duration) {
        long tenths = (duration.toNanos() + 50_000) / 100_000;
        return tenths / 10 + "." + tenths % 10 + " ms";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return out.toString();
    }
}
