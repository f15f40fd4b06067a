package dev.keyline.adapters.frontdoors.status;

import dev.keyline.domain.keys.Usd;
import dev.keyline.ports.out.SpendLog;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spend over time as a server-rendered SVG: one stacked bar per time bucket, one colour per label (key, team or model
 * group), the biggest spenders named and the rest summed as {@code other}. No script, so it prints and needs no
 * library.
 */
final class SpendChart {

    /** Labels shown by name; the others are summed as {@code other}. */
    static final int NAMED = 7;

    private static final String[] COLOURS = {
        "#0969da", "#1a7f37", "#bf8700", "#8250df", "#cf222e", "#1b7c83", "#9a6700", "#6e7781"
    };
    private static final int WIDTH = 720;
    private static final int HEIGHT = 220;
    private static final int LEFT = 64;
    private static final int BOTTOM = 24;
    private static final int TOP = 10;

    private SpendChart() {}

    /**
     * @param buckets the spend log's buckets, oldest first
     * @param from    the chart's start
     * @param width   each bucket's length
     * @param count   how many buckets the chart spans
     */
    static void render(StringBuilder html, List<SpendLog.Bucket> buckets, Instant from, Duration width, int count) {
        Map<String, Long> totals = new LinkedHashMap<>();
        buckets.forEach(b -> totals.merge(b.label(), b.cost().nanos(), Long::sum));
        List<String> named = totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(NAMED)
                .map(Map.Entry::getKey)
                .toList();
        List<String> series = new ArrayList<>(named);
        if (totals.size() > named.size()) {
            series.add("other");
        }
        long[][] stacks = new long[count][series.size()];
        for (SpendLog.Bucket bucket : buckets) {
            int index = (int) (Duration.between(from, bucket.start()).toMillis() / width.toMillis());
            if (index < 0 || index >= count) {
                continue;
            }
            int s = named.indexOf(bucket.label());
            stacks[index][s < 0 ? series.size() - 1 : s] += bucket.cost().nanos();
        }
        long highest = 1;
        for (long[] stack : stacks) {
            long sum = 0;
            for (long part : stack) {
                sum += part;
            }
            highest = Math.max(highest, sum);
        }
        int plotWidth = WIDTH - LEFT - 8;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double barWidth = (double) plotWidth / count;
        html.append("<svg class=\"chart\" id=\"spend-chart\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\"><title>Spend per ")
                .append(describe(width))
                .append(", most ")
                .append(new Usd(highest))
                .append("</title>");
        // The axis: zero and the highest bucket.
        html.append("<text x=\"")
                .append(LEFT - 6)
                .append("\" y=\"")
                .append(TOP + 10)
                .append("\" text-anchor=\"end\">")
                .append(new Usd(highest))
                .append("</text><text x=\"")
                .append(LEFT - 6)
                .append("\" y=\"")
                .append(TOP + plotHeight)
                .append("\" text-anchor=\"end\">$0</text>");
        html.append("<line x1=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(TOP + plotHeight)
                .append("\" x2=\"")
                .append(LEFT + plotWidth)
                .append("\" y2=\"")
                .append(TOP + plotHeight)
                .append("\" stroke=\"currentColor\" stroke-opacity=\"0.4\"/>");
        for (int i = 0; i < count; i++) {
            double y = TOP + plotHeight;
            for (int s = 0; s < series.size(); s++) {
                long part = stacks[i][s];
                if (part == 0) {
                    continue;
                }
                double h = (double) part / highest * plotHeight;
                y -= h;
                html.append("<rect class=\"spend\" data-label=\"")
                        .append(StatusPage.escape(series.get(s)))
                        .append("\" x=\"")
                        .append(fmt(LEFT + i * barWidth + 1))
                        .append("\" y=\"")
                        .append(fmt(y))
                        .append("\" width=\"")
                        .append(fmt(Math.max(1, barWidth - 2)))
                        .append("\" height=\"")
                        .append(fmt(h))
                        .append("\" fill=\"")
                        .append(COLOURS[s % COLOURS.length])
                        .append("\"><title>")
                        .append(StatusPage.escape(series.get(s)))
                        .append(' ')
                        .append(label(from.plus(width.multipliedBy(i)), width))
                        .append(": ")
                        .append(new Usd(part))
                        .append("</title></rect>");
            }
        }
        for (int i : new int[] {0, count / 2, count - 1}) {
            html.append("<text x=\"")
                    .append(fmt(LEFT + i * barWidth + barWidth / 2))
                    .append("\" y=\"")
                    .append(HEIGHT - 6)
                    .append("\" text-anchor=\"middle\">")
                    .append(label(from.plus(width.multipliedBy(i)), width))
                    .append("</text>");
        }
        html.append("</svg>");
        html.append("<div class=\"legend\" id=\"spend-legend\">");
        for (int s = 0; s < series.size(); s++) {
            long total = 0;
            for (long[] stack : stacks) {
                total += stack[s];
            }
            html.append("<span><i style=\"background:")
                    .append(COLOURS[s % COLOURS.length])
                    .append("\"></i>")
                    .append(StatusPage.escape(series.get(s)))
                    .append(' ')
                    .append(new Usd(total))
                    .append("</span>");
        }
        if (series.isEmpty()) {
            html.append("<span class=\"muted\">No spend in this range.</span>");
        }
        html.append("</div>");
    }

    private static String describe(Duration width) {
        return width.toHours() >= 24 ? "day" : "hour";
    }

    private static String label(Instant at, Duration width) {
        DateTimeFormatter format = width.toHours() >= 24
                ? DateTimeFormatter.ofPattern("MMM d", Locale.ROOT)
                : DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
        return format.withZone(ZoneOffset.UTC).format(at);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
