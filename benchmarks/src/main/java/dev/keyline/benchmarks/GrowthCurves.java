package dev.keyline.benchmarks;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code keyline bench --growth}: how Keyline's cost grows with the size of what it carries, each point measured
 * beside the direct path: request size (1 KB to 1 MB of text), turns (1 to 200), tools (0 to 100), stream length (10
 * to 10,000 events), web-search loop length (1 to 8 model turns), and resident memory with open streams. Writes a table and one SVG chart per curve (no library:
 * a polyline on log-scaled x) to docs/images, for docs/benchmarks.md.
 */
final class GrowthCurves {

    /** One measured curve: x values, and per x the direct path's and Keyline's figure. */
    record Curve(
            String id,
            String title,
            String xLabel,
            String yLabel,
            List<Long> xs,
            List<Double> direct,
            List<Double> keyline) {}

    private GrowthCurves() {}

    static List<Curve> measure(Gateway direct, Gateway keyline, Gateway.Upstreams upstreams, WrkLoad wrk, boolean quick)
            throws Exception {
        Duration warm = Duration.ofSeconds(quick ? 1 : 3);
        Duration timed = Duration.ofSeconds(quick ? 2 : 4);
        List<Curve> curves = new ArrayList<>();
        Gateway keylineStreams = keyline.toDynamic(upstreams);
        // First, while the gateway's heap is as small as serving has left it: the request-size curve's 1 MB bodies
        // grow the heap, and G1 gives it back only slowly, which would be read as the streams' cost.
        curves.addAll(openStreams(keylineStreams, quick));
        curves.add(jsonCurve(
                "request-size",
                "Request size: one user turn of N bytes",
                "request body, bytes",
                List.of(1_000L, 10_000L, 100_000L, 1_000_000L),
                (model, n) -> body(model, 1, (int) n, 0),
                direct,
                keyline,
                wrk,
                warm,
                timed));
        curves.add(jsonCurve(
                "turns",
                "Conversation length: N turns of 200 bytes",
                "turns",
                List.of(1L, 10L, 50L, 200L),
                (model, n) -> body(model, (int) n, 200, 0),
                direct,
                keyline,
                wrk,
                warm,
                timed));
        curves.add(jsonCurve(
                "tools",
                "Tools: N tool definitions with a small schema",
                "tools",
                List.of(1L, 10L, 50L, 100L),
                (model, n) -> body(model, 1, 200, (int) n),
                direct,
                keyline,
                wrk,
                warm,
                timed));
        List<Long> lengths = List.of(10L, 100L, 1_000L, 10_000L);
        List<Double> directLast = new ArrayList<>();
        List<Double> keylineLast = new ArrayList<>();
        Gateway directStreams = direct.toDynamic(upstreams);
        for (long events : lengths) {
            int runs = quick ? 3 : events >= 10_000 ? 10 : 30;
            directLast.add(Scenarios.stream(directStreams, Duration.ofSeconds(quick ? 0 : 2), runs, (int) events)
                    .lastByte()
                    .p50());
            keylineLast.add(Scenarios.stream(keylineStreams, Duration.ofSeconds(quick ? 0 : 2), runs, (int) events)
                    .lastByte()
                    .p50());
        }
        curves.add(new Curve(
                "stream-length",
                "Stream length: time to the last byte of N events",
                "events",
                "median ms to the last byte",
                lengths,
                directLast,
                keylineLast));
        List<Long> turns = List.of(1L, 2L, 4L, 8L);
        List<Double> loopTimes = new ArrayList<>();
        List<Double> noDirect = new ArrayList<>();
        for (long n : turns) {
            loopTimes.add(loop(keylineStreams, "hops:" + n, n > 1, quick ? 5 : 30, quick ? 10 : 100));
            noDirect.add(Double.NaN);
        }
        curves.add(new Curve(
                "loop-length",
                "Web-search loop: N model turns, one search each (upstream and engine answer at once)",
                "model turns",
                "median ms per loop (Keyline)",
                turns,
                noDirect,
                loopTimes));
        List<Long> widths = List.of(1L, 2L, 3L, 4L, 5L);
        List<Double> parallelTimes = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        for (long n : widths) {
            parallelTimes.add(loop(keylineStreams, "par:" + n, true, quick ? 5 : 20, quick ? 10 : 60));
            floor.add((double) FastUpstream.PARALLEL_SEARCH_MILLIS);
        }
        curves.add(new Curve(
                "parallel-searches",
                "Web-search loop: N searches at once, " + FastUpstream.PARALLEL_SEARCH_MILLIS + " ms each",
                "searches in the turn",
                "median ms per loop (grey: the searches' " + FastUpstream.PARALLEL_SEARCH_MILLIS + " ms)",
                widths,
                floor,
                parallelTimes));
        return curves;
    }

    /** RSS with N slow streams open, and the first byte of fresh streams sent while they are held. */
    private static List<Curve> openStreams(Gateway keyline, boolean quick) throws Exception {
        // 9,000, not 10,000: a stream holds two sockets in the gateway (client and upstream) and two in this
        // harness, and the container's hard limit of 20,000 open files cannot be raised without CAP_SYS_RESOURCE.
        List<Long> open = quick ? List.of(100L, 500L) : List.of(100L, 1_000L, 3_000L, 9_000L);
        List<Double> rss = new ArrayList<>();
        List<Double> firstByteP99 = new ArrayList<>();
        List<Double> none = new ArrayList<>();
        for (long n : open) {
            Scenarios.Held held = Scenarios.holdStreams(keyline, (int) n, quick ? 10 : 50);
            rss.add((double) held.rssMib());
            firstByteP99.add(held.freshFirstByte().p99());
            none.add(Double.NaN);
            Thread.sleep(n >= 3_000 ? 8_000 : 3_000); // the round's streams end and their memory is given back
        }
        return List.of(
                new Curve(
                        "open-streams",
                        "Resident memory with N slow streams open",
                        "open streams",
                        "RSS MiB (Keyline)",
                        open,
                        none,
                        rss),
                new Curve(
                        "open-streams-first-byte",
                        "First byte of a fresh stream while N slow streams are open",
                        "open streams",
                        "p99 ms to the first byte (Keyline)",
                        open,
                        none,
                        firstByteP99));
    }

    /**
     * @param marker what the fast upstream plays ({@code hops:N}, {@code par:N})
     * @return the median time of a loop, after {@code warmup} of them
     */
    private static double loop(Gateway keyline, String marker, boolean searches, int warmup, int runs)
            throws Exception {
        String body = "{\"model\":\"bench-search\",\"max_tokens\":64,\"metadata\":{\"user_id\":\"" + marker
                + "\"},\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":20}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"search\"}]}";
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long started = System.nanoTime();
                HttpResponse<String> response =
                        http.send(keyline.request(body).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200
                        || (searches && !response.body().contains("web_search_tool_result"))) {
                    throw new IllegalStateException("the loop " + marker + " answered " + response.statusCode());
                }
                if (i >= warmup) {
                    times.add(System.nanoTime() - started);
                }
            }
            return Scenarios.Stats.of(times).p50();
        }
    }

    private interface Body {
        String of(String model, long n);
    }

    private static Curve jsonCurve(
            String id,
            String title,
            String xLabel,
            List<Long> xs,
            Body body,
            Gateway direct,
            Gateway keyline,
            WrkLoad wrk,
            Duration warm,
            Duration timed)
            throws Exception {
        List<Double> d = new ArrayList<>();
        List<Double> k = new ArrayList<>();
        for (long x : xs) {
            String directBody = body.of(direct.model(), x);
            String keylineBody = body.of(keyline.model(), x);
            wrk.run(direct, directBody, 1, warm);
            d.add(wrk.run(direct, directBody, 1, timed).latency().p50());
            wrk.run(keyline, keylineBody, 1, warm);
            k.add(wrk.run(keyline, keylineBody, 1, timed).latency().p50());
        }
        return new Curve(id, title, xLabel, "p50 ms, 1 connection", xs, d, k);
    }

    /** A Messages request of {@code turns} alternating turns of {@code bytes} characters each, and {@code tools}. */
    static String body(String model, int turns, int bytes, int tools) {
        StringBuilder json = new StringBuilder(turns * (bytes + 40) + tools * 200 + 200);
        json.append("{\"model\":\"").append(model).append("\",\"max_tokens\":16,\"messages\":[");
        String text = "x".repeat(Math.max(1, bytes));
        for (int i = 0; i < turns; i++) {
            if (i > 0) {
                json.append(',');
            }
            // Odd turns are the assistant's; the last is the user's, as an API request ends.
            String role = (turns - i) % 2 == 1 ? "user" : "assistant";
            json.append("{\"role\":\"")
                    .append(role)
                    .append("\",\"content\":\"")
                    .append(text)
                    .append("\"}");
        }
        json.append(']');
        if (tools > 0) {
            json.append(",\"tools\":[");
            for (int i = 0; i < tools; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append("{\"name\":\"tool_")
                        .append(i)
                        .append("\",\"description\":\"Looks up thing ")
                        .append(i)
                        .append(".\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"},"
                                + "\"limit\":{\"type\":\"integer\"}},\"required\":[\"q\"]}}");
            }
            json.append(']');
        }
        return json.append('}').toString();
    }

    /** @return the table rows, and writes one SVG chart per curve into {@code images} */
    static List<String> record(List<Curve> curves, Path images) throws IOException {
        Files.createDirectories(images);
        List<String> rows = new ArrayList<>();
        rows.add("| curve | x | direct | Keyline | Keyline − direct |");
        rows.add("|---|---|---|---|---|");
        for (Curve curve : curves) {
            for (int i = 0; i < curve.xs().size(); i++) {
                double d = curve.direct().get(i);
                double k = curve.keyline().get(i);
                rows.add("| " + curve.id() + " (" + curve.yLabel() + ") | "
                        + curve.xs().get(i) + " | "
                        + (Double.isNaN(d) ? "—" : fmt(d)) + " | " + fmt(k) + " | "
                        + (Double.isNaN(d) ? "—" : fmt(k - d)) + " |");
            }
            Files.writeString(images.resolve("growth-" + curve.id() + ".svg"), svg(curve));
        }
        return rows;
    }

    /** A line chart: log-scaled x, linear y from 0, direct in grey, Keyline in blue. */
    static String svg(Curve curve) {
        int width = 520;
        int height = 300;
        int left = 60;
        int right = 20;
        int top = 40;
        int bottom = 50;
        double maxY = 0;
        for (int i = 0; i < curve.xs().size(); i++) {
            maxY = Math.max(maxY, curve.keyline().get(i));
            if (!Double.isNaN(curve.direct().get(i))) {
                maxY = Math.max(maxY, curve.direct().get(i));
            }
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.1;
        double minX = Math.log10(Math.max(1, curve.xs().getFirst()));
        double maxX = Math.log10(Math.max(2, curve.xs().getLast()));
        StringBuilder svg = new StringBuilder(4_096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"")
                .append(left)
                .append("\" y=\"20\" font-size=\"13\" font-weight=\"bold\">")
                .append(escape(curve.title()))
                .append("</text>\n");
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        svg.append("<line x1=\"")
                .append(left)
                .append("\" y1=\"")
                .append(top + plotH)
                .append("\" x2=\"")
                .append(left + plotW)
                .append("\" y2=\"")
                .append(top + plotH)
                .append("\" stroke=\"black\"/>\n");
        svg.append("<line x1=\"")
                .append(left)
                .append("\" y1=\"")
                .append(top)
                .append("\" x2=\"")
                .append(left)
                .append("\" y2=\"")
                .append(top + plotH)
                .append("\" stroke=\"black\"/>\n");
        for (int t = 0; t <= 4; t++) {
            double value = maxY * t / 4;
            int y = top + plotH - (int) Math.round(plotH * t / 4.0);
            svg.append("<text x=\"")
                    .append(left - 6)
                    .append("\" y=\"")
                    .append(y + 4)
                    .append("\" text-anchor=\"end\">")
                    .append(fmt(value))
                    .append("</text>\n");
        }
        for (long x : curve.xs()) {
            int px = xPixel(x, minX, maxX, left, plotW);
            svg.append("<text x=\"")
                    .append(px)
                    .append("\" y=\"")
                    .append(top + plotH + 16)
                    .append("\" text-anchor=\"middle\">")
                    .append(x)
                    .append("</text>\n");
        }
        svg.append("<text x=\"")
                .append(left + plotW / 2)
                .append("\" y=\"")
                .append(height - 12)
                .append("\" text-anchor=\"middle\">")
                .append(escape(curve.xLabel()))
                .append(" (log scale)</text>\n");
        svg.append("<text x=\"14\" y=\"")
                .append(top + plotH / 2)
                .append("\" transform=\"rotate(-90 14 ")
                .append(top + plotH / 2)
                .append(")\" text-anchor=\"middle\">")
                .append(escape(curve.yLabel()))
                .append("</text>\n");
        polyline(svg, curve.xs(), curve.direct(), "#888888", minX, maxX, maxY, left, top, plotW, plotH);
        polyline(svg, curve.xs(), curve.keyline(), "#1f5fbf", minX, maxX, maxY, left, top, plotW, plotH);
        svg.append("<text x=\"")
                .append(left + plotW - 150)
                .append("\" y=\"")
                .append(top + 12)
                .append("\" fill=\"#1f5fbf\">— Keyline</text>\n");
        if (curve.direct().stream().anyMatch(v -> !Double.isNaN(v))) {
            svg.append("<text x=\"")
                    .append(left + plotW - 150)
                    .append("\" y=\"")
                    .append(top + 26)
                    .append("\" fill=\"#888888\">— direct</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static void polyline(
            StringBuilder svg,
            List<Long> xs,
            List<Double> ys,
            String colour,
            double minX,
            double maxX,
            double maxY,
            int left,
            int top,
            int plotW,
            int plotH) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            if (Double.isNaN(ys.get(i))) {
                continue;
            }
            int px = xPixel(xs.get(i), minX, maxX, left, plotW);
            int py = top + plotH - (int) Math.round(plotH * ys.get(i) / maxY);
            points.append(px).append(',').append(py).append(' ');
            svg.append("<circle cx=\"")
                    .append(px)
                    .append("\" cy=\"")
                    .append(py)
                    .append("\" r=\"3\" fill=\"")
                    .append(colour)
                    .append("\"/>\n");
        }
        if (!points.isEmpty()) {
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(colour)
                    .append("\" points=\"")
                    .append(points.toString().strip())
                    .append("\"/>\n");
        }
    }

    private static int xPixel(long x, double minX, double maxX, int left, int plotW) {
        double position = maxX == minX ? 0.5 : (Math.log10(Math.max(1, x)) - minX) / (maxX - minX);
        return left + (int) Math.round(plotW * position);
    }

    private static String fmt(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
