package dev.keyline.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;

/**
 * The performance targets (issue 33's, and issue 19's that still stand), each beside the figure this run measured for
 * Keyline and, where the peers can be measured the same way, for Portkey and claude-code-router: filled in as the
 * scenarios run, printed after the table (and recorded with it). A target whose scenario did not run says so.
 */
final class Targets {

    static final List<String> PEERS = List.of("portkey", "claude-code-router");

    /** One target: its wording, how a figure is printed, and when Keyline's figure meets it. */
    private record Target(String text, String format, DoublePredicate met) {}

    /** The figures measured for one target: Keyline's, and each peer's by name. */
    private static final class Figures {
        OptionalDouble keyline = OptionalDouble.empty();
        final Map<String, Double> peers = new LinkedHashMap<>();
    }

    private final Map<Target, Figures> figures = new LinkedHashMap<>();

    private static final Target CPU = new Target(
            "gateway CPU per small request, 64 connections ≤ 30 µs (medians of interleaved rounds)",
            "%.0f µs",
            v -> v <= 30);
    private static final Target P50 = new Target("added p50, 1 connection ≤ 0.10 ms", "+%.2f ms", v -> v <= 0.1);
    private static final Target P99 = new Target("added p99, 1 connection ≤ 1.0 ms (G1)", "+%.2f ms", v -> v <= 1.0);
    private static final Target SHARE =
            new Target("requests/s at 64 connections ≥ 30% of nginx direct", "%.0f%%", v -> v >= 30);
    private static final Target TIMES_PEER = new Target(
            "requests/s at 64 connections ≥ 25× Portkey (claude-code-router: measured)", "%.1f×", v -> v >= 25);
    private static final Target LARGE =
            new Target("added p50 for a 1 MB request, 1 connection ≤ 2 ms", "+%.2f ms", v -> v <= 2);
    private static final Target PER_STREAM = new Target(
            "RSS per open stream ≤ 100 KiB (≤ 1 GB at 10,000; 1,000 streams after the load, minus before them)",
            "%.0f KiB",
            v -> v <= 100);
    private static final Target EVENTS =
            new Target("SSE events/s received on one 1,000-event stream ≥ 80% of direct", "%.0f%%", v -> v >= 80);
    private static final Target FIRST_BYTE =
            new Target("SSE first byte added ≤ 0.5 ms, 10-event stream (issue 19)", "+%.2f ms", v -> v <= 0.5);
    private static final Target RSS_1000 =
            new Target("RSS ≤ 256 MiB with 1,000 open streams, after the load (issue 19)", "%.0f MiB", v -> v <= 256);
    private static final Target LOOP =
            new Target("web-search loop ≤ its floor + 2 ms (issue 19)", "%+.1f ms", v -> v <= 2);
    private static final Target READY =
            new Target("ready ≤ 0.5 s, process start to readiness 200 (issue 19)", "%.0f ms", v -> v <= 500);

    Targets() {
        for (Target target : List.of(
                CPU, P50, P99, SHARE, TIMES_PEER, LARGE, PER_STREAM, EVENTS, FIRST_BYTE, RSS_1000, LOOP, READY)) {
            figures.put(target, new Figures());
        }
    }

    /** @param peers each peer's CPU µs per request, by name */
    void cpuPerRequest(double keylineMicros, Map<String, Double> peers) {
        set(CPU, keylineMicros, peers);
    }

    /** Added latency at one connection, each path's p50 and p99 less direct's. */
    void smallRequest(Scenarios.Stats direct, Scenarios.Stats keyline, Map<String, Scenarios.Stats> peers) {
        Map<String, Double> p50 = new LinkedHashMap<>();
        Map<String, Double> p99 = new LinkedHashMap<>();
        peers.forEach((name, stats) -> {
            p50.put(name, stats.p50() - direct.p50());
            p99.put(name, stats.p99() - direct.p99());
        });
        set(P50, keyline.p50() - direct.p50(), p50);
        set(P99, keyline.p99() - direct.p99(), p99);
    }

    /** @param peers each peer's requests/s, by name */
    void closedLoop64(double direct, double keyline, Map<String, Double> peers) {
        Map<String, Double> shares = new LinkedHashMap<>();
        Map<String, Double> times = new LinkedHashMap<>();
        peers.forEach((name, rps) -> {
            shares.put(name, 100 * rps / direct);
            if (!name.equals("portkey")) {
                times.put(name, keyline / rps); // Portkey's multiple is Keyline's column
            }
        });
        set(SHARE, 100 * keyline / direct, shares);
        set(TIMES_PEER, keyline / peers.getOrDefault("portkey", Double.NaN), times);
    }

    /** @param peers each peer's added p50 for the 1 MB request, by name */
    void largeRequest(double keylineAdded, Map<String, Double> peers) {
        set(LARGE, keylineAdded, peers);
    }

    /** @param peers each peer's share of direct's events/s, in per cent */
    void eventsRelayed(double keylineShare, Map<String, Double> peers) {
        set(EVENTS, keylineShare, peers);
    }

    void shortStreamFirstByte(double direct, double keyline, Map<String, Double> peers) {
        Map<String, Double> added = new LinkedHashMap<>();
        peers.forEach((name, value) -> added.put(name, value - direct));
        set(FIRST_BYTE, keyline - direct, added);
    }

    /** RSS with streams open, and what each stream added to the RSS measured just before it was opened. */
    void openStreams(int streams, long keylineMib, double keylineKibPerStream, Map<String, Double> peersKibPerStream) {
        if (streams == 1_000) {
            set(RSS_1000, keylineMib, Map.of());
        }
        set(PER_STREAM, keylineKibPerStream, peersKibPerStream);
    }

    void loop(double floor, double keyline) {
        set(LOOP, keyline - floor, Map.of());
    }

    void ready(double medianMillis) {
        set(READY, medianMillis, Map.of());
    }

    private void set(Target target, double keyline, Map<String, Double> peers) {
        Figures measured = figures.get(target);
        measured.keyline = Double.isNaN(keyline) ? OptionalDouble.empty() : OptionalDouble.of(keyline);
        measured.peers.putAll(peers);
    }

    /** @return the targets as a Markdown table: the limit's wording, Keyline's figure, the peers', and whether met */
    String table() {
        List<String> rows = new ArrayList<>();
        rows.add("| target | Keyline | Portkey | claude-code-router | met? |");
        rows.add("|---|---|---|---|---|");
        figures.forEach((target, measured) -> {
            if (measured.keyline.isEmpty()) {
                rows.add("| " + target.text() + " | not measured in this run | | | — |");
                return;
            }
            double v = measured.keyline.getAsDouble();
            StringBuilder row =
                    new StringBuilder("| ").append(target.text()).append(" | ").append(format(target, v));
            for (String peer : PEERS) {
                row.append(" | ")
                        .append(Optional.ofNullable(measured.peers.get(peer))
                                .filter(d -> !d.isNaN())
                                .map(d -> format(target, d))
                                .orElse("—"));
            }
            rows.add(row.append(" | ")
                    .append(target.met().test(v) ? "yes" : "no")
                    .append(" |")
                    .toString());
        });
        return String.join("\n", rows) + "\n";
    }

    private static String format(Target target, double value) {
        return String.format(Locale.ROOT, target.format(), value);
    }
}
