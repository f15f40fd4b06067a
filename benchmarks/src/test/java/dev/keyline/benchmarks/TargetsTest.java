package dev.keyline.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each target is printed beside this run's figure and the peers', judged, or said to be unmeasured. */
class TargetsTest {

    @Test
    void eachFigureIsJudgedAgainstItsTargetBesideThePeers() {
        Targets targets = new Targets();
        targets.smallRequest(
                stats(0.06, 0.20),
                stats(0.14, 1.50),
                Map.of("portkey", stats(0.90, 9.0), "claude-code-router", stats(0.70, 5.2)));
        targets.closedLoop64(90_000, 18_000, Map.of("portkey", 1_000.0, "claude-code-router", 1_200.0));
        targets.cpuPerRequest(42, Map.of("portkey", 1_100.0));
        targets.openStreams(1_000, 240, 120, Map.of("portkey", 80.0));
        targets.ready(670);
        String table = targets.table();

        assertTrue(
                table.contains("| added p50, 1 connection ≤ 0.10 ms | +0.08 ms | +0.84 ms | +0.64 ms | yes |"), table);
        assertTrue(
                table.contains("| added p99, 1 connection ≤ 1.0 ms (G1) | +1.30 ms | +8.80 ms | +5.00 ms | no |"),
                table);
        assertTrue(
                table.contains("| requests/s at 64 connections ≥ 30% of nginx direct | 20% | 1% | 1% | no |"), table);
        assertTrue(
                table.contains(
                        "| requests/s at 64 connections ≥ 25× Portkey (claude-code-router: measured) | 18.0× | — "
                                + "| 15.0× | no |"),
                table);
        assertTrue(
                table.contains("64 connections ≤ 30 µs (medians of interleaved rounds) | 42 µs | 1100 µs | — | no |"),
                table);
        assertTrue(
                table.contains("with 1,000 open streams, after the load (issue 19) | 240 MiB | — | — | yes |"), table);
        assertTrue(table.contains("| 120 KiB | 80 KiB | — | no |"), table);
        assertTrue(table.contains("readiness 200 (issue 19) | 670 ms | — | — | no |"), table);
        assertTrue(
                table.contains("| web-search loop ≤ its floor + 2 ms (issue 19) | not measured in this run | | | — |"),
                table);
    }

    @Test
    void withoutPortkeyItsRatioIsNotMeasured() {
        Targets targets = new Targets();
        targets.closedLoop64(90_000, 18_000, Map.of());
        assertTrue(
                targets.table().contains("≥ 25× Portkey (claude-code-router: measured) | not measured in this run |"));
    }

    private static Scenarios.Stats stats(double p50, double p99) {
        return new Scenarios.Stats(p50, p99, 1);
    }
}
