package dev.keyline.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Issue 19's targets, each beside the figure this run measured for it: filled in as the scenarios run, printed after
 * the table (and recorded with it). A target whose scenario did not run says so.
 */
final class Targets {

    private OptionalDouble addedP50 = OptionalDouble.empty();
    private OptionalDouble addedP99 = OptionalDouble.empty();
    private OptionalDouble shareOfDirect64 = OptionalDouble.empty();
    private OptionalDouble timesPortkey64 = OptionalDouble.empty();
    private OptionalDouble sseFirstByteAdded = OptionalDouble.empty();
    private OptionalDouble rssThousandStreams = OptionalDouble.empty();
    private OptionalDouble loopOverFloor = OptionalDouble.empty();
    private OptionalDouble readyMillis = OptionalDouble.empty();

    void smallRequest(Scenarios.Stats direct, Scenarios.Stats keyline) {
        addedP50 = OptionalDouble.of(keyline.p50() - direct.p50());
        addedP99 = OptionalDouble.of(keyline.p99() - direct.p99());
    }

    /** @param portkey Portkey's requests/s, or a negative number when it is not installed */
    void closedLoop64(double direct, double keyline, double portkey) {
        shareOfDirect64 = OptionalDouble.of(keyline / direct);
        timesPortkey64 = portkey > 0 ? OptionalDouble.of(keyline / portkey) : OptionalDouble.empty();
    }

    void shortStreamFirstByte(double direct, double keyline) {
        sseFirstByteAdded = OptionalDouble.of(keyline - direct);
    }

    void openStreams(int streams, long keylineMib) {
        if (streams == 1_000) {
            rssThousandStreams = OptionalDouble.of(keylineMib);
        }
    }

    void loop(double floor, double keyline) {
        loopOverFloor = OptionalDouble.of(keyline - floor);
    }

    void ready(double medianMillis) {
        readyMillis = OptionalDouble.of(medianMillis);
    }

    /** @return the targets as a Markdown table */
    String table() {
        List<String> rows = new ArrayList<>();
        rows.add("| target (issue 19) | this run | met? |");
        rows.add("|---|---|---|");
        rows.add(row("added p50 ≤ 0.1 ms, 1 connection", addedP50, "+%.2f ms", v -> v <= 0.1));
        rows.add(row("added p99 ≤ 1 ms, 1 connection", addedP99, "+%.2f ms", v -> v <= 1.0));
        rows.add(row(
                "64 connections ≥ 25% of direct",
                shareOfDirect64.stream().map(v -> v * 100).findFirst(), "%.0f%%", v -> v >= 25));
        rows.add(row("64 connections ≥ 20× Portkey", timesPortkey64, "%.1f×", v -> v >= 20));
        rows.add(row("SSE first byte added ≤ 0.5 ms (10-event stream)", sseFirstByteAdded, "+%.2f ms", v -> v <= 0.5));
        rows.add(row("RSS ≤ 256 MiB with 1,000 open streams", rssThousandStreams, "%.0f MiB", v -> v <= 256));
        rows.add(row("web-search loop ≤ its floor + 2 ms", loopOverFloor, "%+.1f ms", v -> v <= 2));
        rows.add(row("ready ≤ 0.5 s (process start to readiness 200)", readyMillis, "%.0f ms", v -> v <= 500));
        rows.add(
                "| RSS ≤ 1 GB with 10,000 open streams | see `--growth` (9,000 is the most this container holds) | — |");
        return String.join("\n", rows) + "\n";
    }

    private interface Check {
        boolean met(double value);
    }

    private static String row(String target, OptionalDouble value, String format, Check check) {
        if (value.isEmpty()) {
            return "| " + target + " | not measured in this run | — |";
        }
        double v = value.getAsDouble();
        return "| " + target + " | " + String.format(Locale.ROOT, format, v) + " | " + (check.met(v) ? "yes" : "no")
                + " |";
    }
}
