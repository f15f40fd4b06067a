package dev.keyline.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each target is printed beside this run's figure, judged, or said to be unmeasured. */
class TargetsTest {

    @Test
    void eachFigureIsJudgedAgainstItsTarget() {
        Targets targets = new Targets();
        targets.smallRequest(stats(0.06, 0.20), stats(0.14, 1.50));
        targets.closedLoop64(90_000, 18_000, 1_000);
        targets.openStreams(1_000, 240);
        targets.ready(670);
        String table = targets.table();

        assertTrue(table.contains("| added p50 ≤ 0.1 ms, 1 connection | +0.08 ms | yes |"), table);
        assertTrue(table.contains("| added p99 ≤ 1 ms, 1 connection | +1.30 ms | no |"), table);
        assertTrue(table.contains("| 64 connections ≥ 25% of direct | 20% | no |"), table);
        assertTrue(table.contains("| 64 connections ≥ 20× Portkey | 18.0× | no |"), table);
        assertTrue(table.contains("| RSS ≤ 256 MiB with 1,000 open streams | 240 MiB | yes |"), table);
        assertTrue(table.contains("| ready ≤ 0.5 s (process start to readiness 200) | 670 ms | no |"), table);
        assertTrue(table.contains("| web-search loop ≤ its floor + 2 ms | not measured in this run | — |"), table);
    }

    @Test
    void withoutPortkeyItsRatioIsNotMeasured() {
        Targets targets = new Targets();
        targets.closedLoop64(90_000, 18_000, -1);
        assertTrue(targets.table().contains("| 64 connections ≥ 20× Portkey | not measured in this run | — |"));
    }

    private static Scenarios.Stats stats(double p50, double p99) {
        return new Scenarios.Stats(p50, p99, 1);
    }
}
