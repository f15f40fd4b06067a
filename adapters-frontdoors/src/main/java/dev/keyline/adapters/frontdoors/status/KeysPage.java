package dev.keyline.adapters.frontdoors.status;

import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Durations;
import dev.keyline.domain.keys.Grant;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.in.KeyAdminUseCase;
import dev.keyline.ports.out.SpendLog;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /ui/keys}: keys and teams with their spend against budget as a bar, limits, expiry, last use and groups, and
 * a spend chart over time by key, team or model group. Rendered when asked (it reads the database), not refreshed
 * by itself like the status page.
 */
final class KeysPage {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** The chart's ranges: how far back, and each bar's width. */
    enum Range {
        DAY("24h", Duration.ofHours(24), Duration.ofHours(1)),
        WEEK("7d", Duration.ofDays(7), Duration.ofDays(1)),
        MONTH("30d", Duration.ofDays(30), Duration.ofDays(1));

        final String name;
        final Duration span;
        final Duration width;

        Range(String name, Duration span, Duration width) {
            this.name = name;
            this.span = span;
            this.width = width;
        }

        static Range named(String name) {
            for (Range range : values()) {
                if (range.name.equals(name)) {
                    return range;
                }
            }
            return DAY;
        }

        /** @return the chart's first bucket: whole hours or days, so bars line up with the clock */
        Instant from(Instant now) {
            long widthSeconds = width.toSeconds();
            long end = (Math.floorDiv(now.getEpochSecond(), widthSeconds) + 1) * widthSeconds;
            return Instant.ofEpochSecond(end).minus(span);
        }

        int count() {
            return (int) (span.toSeconds() / width.toSeconds());
        }
    }

    private KeysPage() {}

    static String page(
            List<KeyAdminUseCase.KeyView> keys,
            List<KeyAdminUseCase.TeamView> teams,
            List<SpendLog.Bucket> buckets,
            Range range,
            SpendLog.Dimension by,
            Instant now,
            String version) {
        StringBuilder html = new StringBuilder(16_384);
        StatusPage.head(html, "Keyline keys and spend");
        html.append("<header><h1>Keys &amp; spend</h1><span class=\"muted\">")
                .append(StatusPage.escape(version))
                .append(" · as of ")
                .append(WHEN.format(now))
                .append(" UTC</span><nav><a href=\"/ui\">Status</a></nav></header>\n<main>");
        chart(html, buckets, range, by, now);
        keys(html, keys, now);
        teams(html, teams);
        html.append("</main></body></html>\n");
        return html.toString();
    }

    private static void chart(
            StringBuilder html, List<SpendLog.Bucket> buckets, Range range, SpendLog.Dimension by, Instant now) {
        html.append("<section id=\"spend\"><h2>Spend</h2><p>");
        for (SpendLog.Dimension d : SpendLog.Dimension.values()) {
            link(html, "by", d.name().toLowerCase(Locale.ROOT), label(d), d == by, range.name, d);
        }
        html.append(" · ");
        for (Range r : Range.values()) {
            link(html, "range", r.name, "last " + r.name, r == range, r.name, by);
        }
        html.append("</p>");
        SpendChart.render(html, buckets, range.from(now), range.width, range.count());
        html.append("</section>\n");
    }

    private static void link(
            StringBuilder html,
            String kind,
            String value,
            String text,
            boolean current,
            String range,
            SpendLog.Dimension by) {
        html.append("<a id=\"")
                .append(kind)
                .append('-')
                .append(value)
                .append("\" href=\"/ui/keys?by=")
                .append(by.name().toLowerCase(Locale.ROOT))
                .append("&amp;range=")
                .append(range)
                .append('"');
        if (current) {
            html.append(" aria-current=\"page\"><b>").append(text).append("</b></a> ");
        } else {
            html.append('>').append(text).append("</a> ");
        }
    }

    private static String label(SpendLog.Dimension d) {
        return switch (d) {
            case KEY -> "by key";
            case TEAM -> "by team";
            case MODEL_GROUP -> "by model group";
        };
    }

    private static void keys(StringBuilder html, List<KeyAdminUseCase.KeyView> keys, Instant now) {
        html.append("<section id=\"keys\"><h2>Keys</h2>");
        if (keys.isEmpty()) {
            html.append("<p class=\"muted\">None yet: <code>POST /key/generate</code> or"
                    + " <code>./keyline keys create</code>.</p></section>\n");
            return;
        }
        html.append("<div class=\"scroll\"><table><thead><tr><th>Alias</th><th>Key</th><th>Spend / budget</th>"
                + "<th>Limits</th><th>Groups</th><th class=\"wide\">Team</th><th class=\"wide\">Expires</th>"
                + "<th class=\"wide\">Last used</th><th>State</th></tr></thead><tbody>");
        for (KeyAdminUseCase.KeyView view : keys) {
            VirtualKey key = view.key();
            html.append("<tr class=\"key\" data-alias=\"")
                    .append(StatusPage.escape(key.alias().orElse("")))
                    .append("\"><td>")
                    .append(StatusPage.escape(key.alias().orElse("-")))
                    .append("</td><td><code>")
                    .append(StatusPage.escape(key.preview()))
                    .append("</code></td><td class=\"spend\">");
            spend(html, view.spent(), key.grant().budget(), view.window());
            html.append("</td><td>")
                    .append(limits(key.grant()))
                    .append("</td><td>")
                    .append(groups(key.grant()))
                    .append("</td><td class=\"wide\">")
                    .append(StatusPage.escape(key.teamId().orElse("-")))
                    .append("</td><td class=\"wide\">")
                    .append(key.expires().map(WHEN::format).orElse("never"))
                    .append("</td><td class=\"wide\">")
                    .append(view.lastUsed().map(WHEN::format).orElse("never"))
                    .append("</td><td class=\"state ")
                    .append(state(key.blocked(), key.expires(), now).equals("active") ? "healthy" : "cooling")
                    .append("\">")
                    .append(state(key.blocked(), key.expires(), now))
                    .append("</td></tr>");
        }
        html.append("</tbody></table></div></section>\n");
    }

    private static String state(boolean blocked, Optional<Instant> expires, Instant now) {
        if (blocked) {
            return "revoked";
        }
        return expires.isPresent() && !now.isBefore(expires.get()) ? "expired" : "active";
    }

    private static void teams(StringBuilder html, List<KeyAdminUseCase.TeamView> teams) {
        html.append("<section id=\"teams\"><h2>Teams</h2>");
        if (teams.isEmpty()) {
            html.append("<p class=\"muted\">None: <code>POST /team/new</code> makes one.</p></section>\n");
            return;
        }
        html.append("<div class=\"scroll\"><table><thead><tr><th>Team</th><th>Spend / budget</th><th>Limits</th>"
                + "<th>Groups</th><th>Keys</th></tr></thead><tbody>");
        for (KeyAdminUseCase.TeamView view : teams) {
            html.append("<tr class=\"team\"><td>")
                    .append(StatusPage.escape(view.team().label()))
                    .append("</td><td class=\"spend\">");
            spend(html, view.spent(), view.team().grant().budget(), view.window());
            html.append("</td><td>")
                    .append(limits(view.team().grant()))
                    .append("</td><td>")
                    .append(groups(view.team().grant()))
                    .append("</td><td>")
                    .append(view.keys())
                    .append("</td></tr>");
        }
        html.append("</tbody></table></div></section>\n");
    }

    /** Spend against budget as a bar (green, amber past 80%, red when spent), with the figures beside it. */
    private static void spend(StringBuilder html, Usd spent, Budget budget, Budget.Window window) {
        if (budget.max().isEmpty()) {
            html.append(spent).append(" <span class=\"muted\">no budget</span>");
            return;
        }
        Usd max = budget.max().get();
        double share = max.nanos() == 0 ? 1 : Math.min(1, (double) spent.nanos() / max.nanos());
        String tone = share >= 1 ? "over" : share >= 0.8 ? "high" : "ok";
        html.append("<span class=\"bar\" role=\"meter\" aria-valuemin=\"0\" aria-valuemax=\"100\" aria-valuenow=\"")
                .append(Math.round(share * 100))
                .append("\"><span class=\"")
                .append(tone)
                .append("\" style=\"width:")
                .append(Math.round(share * 100))
                .append("%\"></span></span>")
                .append(spent)
                .append(" / ")
                .append(max);
        budget.period()
                .ifPresent(p -> html.append(" <span class=\"muted\">per ")
                        .append(Durations.format(p))
                        .append(window.resetsAt()
                                .map(at -> ", resets " + WHEN.format(at))
                                .orElse(""))
                        .append("</span>"));
    }

    private static String limits(Grant grant) {
        StringBuilder text = new StringBuilder();
        grant.limits().rpm().ifPresent(v -> text.append("rpm ").append(v).append(' '));
        grant.limits().tpm().ifPresent(v -> text.append("tpm ").append(v).append(' '));
        grant.limits()
                .maxParallel()
                .ifPresent(v -> text.append("parallel ").append(v).append(' '));
        return text.isEmpty() ? "none" : text.toString().strip();
    }

    private static String groups(Grant grant) {
        return grant.models().isEmpty()
                ? "all"
                : StatusPage.escape(
                        String.join(", ", grant.models().stream().sorted().toList()));
    }
}
