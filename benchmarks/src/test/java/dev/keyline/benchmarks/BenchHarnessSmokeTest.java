package dev.keyline.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's own parts, quickly, against its fast upstream (no gateway, no peer): if these break,
 * {@code ./keyline bench} would print nothing worth reading. The full run is not part of the test suite.
 */
class BenchHarnessSmokeTest {

    @Test
    void theScenarios_measureTheDirectPath() throws Exception {
        try (FastUpstream upstream = new FastUpstream();
                Gateway direct = Gateway.direct(new Gateway.Upstreams(upstream.baseUrl(), upstream.baseUrl()))) {
            Scenarios.Stats latency = Scenarios.latency(direct, 20, 50);
            assertEquals(50, latency.n());
            assertTrue(latency.p50() > 0 && latency.p50() <= latency.p99(), latency.toString());

            Scenarios.Stream stream = Scenarios.stream(direct, Duration.ZERO, 3, 200);
            assertTrue(stream.firstByte().p50() <= stream.lastByte().p50(), stream.toString());

            // Two hops of 0 ms around searches of 30, 60 and 90 ms run in parallel: at least the slowest search.
            Scenarios.Stats loop = Scenarios.directLoop(direct, 2, 0);
            assertTrue(loop.p50() >= FastUpstream.SEARCH_MILLIS[2], loop.toString());
        }
    }

    @Test
    void wrk_whenInstalled_reportsThroughputAndNoErrors(@TempDir Path work) throws Exception {
        var wrk = WrkLoad.find(work);
        // Without Debian's wrk the harness falls back to the JDK client; reported as skipped, not passed.
        assumeTrue(wrk.isPresent(), "wrk is not installed");
        try (FastUpstream upstream = new FastUpstream();
                Gateway direct = Gateway.direct(new Gateway.Upstreams(upstream.baseUrl(), upstream.baseUrl()))) {
            Scenarios.Load load = wrk.get().run(direct, Scenarios.SMALL.formatted("bench"), 2, Duration.ofSeconds(1));
            assertEquals(0, load.errors());
            assertTrue(load.requestsPerSecond() > 100, "requests/s: " + load.requestsPerSecond());
        }
    }

    @Test
    void nginx_whenInstalled_answersTheFixedMessage_underLoad(@TempDir Path work) throws Exception {
        var wrk = WrkLoad.find(work);
        // Asked before nginx starts: a skip after it would leave it running.
        assumeTrue(wrk.isPresent(), "wrk is not installed");
        var nginx = NginxUpstream.start(work);
        assumeTrue(nginx.isPresent(), "nginx is not installed");
        try (NginxUpstream upstream = nginx.get();
                Gateway direct = Gateway.direct(new Gateway.Upstreams(upstream.baseUrl(), upstream.baseUrl()))) {
            Scenarios.Stats latency = Scenarios.latency(direct, 5, 20);
            Scenarios.Load load = wrk.get().run(direct, Scenarios.SMALL.formatted("bench"), 2, Duration.ofSeconds(1));

            assertEquals(20, latency.n(), "every request answered 200 with the message");
            assertEquals(0, load.errors());
            assertTrue(load.requestsPerSecond() > 100, "requests/s: " + load.requestsPerSecond());
        }
    }

    @Test
    void growthBodies_areValidRequestsOfTheAskedShape_andChartsAreWellFormedSvg() throws Exception {
        String request = GrowthCurves.body("bench", 5, 100, 3);
        assertEquals(5, request.split("\"role\":").length - 1, "five turns");
        assertEquals(3, request.split("\"name\":\"tool_").length - 1, "three tools");
        assertTrue(
                request.lastIndexOf("\"role\":\"user\"") > request.lastIndexOf("\"role\":\"assistant\""),
                "a request ends with the user's turn");
        assertTrue(request.contains("\"content\":\"" + "x".repeat(100) + "\"}"));
        assertTrue(request.startsWith("{\"model\":\"bench\"") && request.endsWith("]}"), request);
        assertTrue(GrowthCurves.body("bench", 1, 1_000_000, 0).length() > 1_000_000, "1 MB of text");

        String svg = GrowthCurves.svg(new GrowthCurves.Curve(
                "t", "T <1>", "x", "ms", List.of(1L, 10L, 100L), List.of(0.1, 0.2, 0.3), List.of(0.3, 0.5, 1.1)));
        var document = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(2, document.getElementsByTagName("polyline").getLength(), "direct and Keyline");
        assertTrue(svg.contains("T &lt;1&gt;"));
    }

    @Test
    void recordingARun_replacesOnlyThePreviousRun_andKeepsItsReading(@TempDir Path dir) throws Exception {
        Path docs = dir.resolve("benchmarks.md");
        Files.writeString(
                docs,
                "# Benchmarks\n\nintro\n\n" + BenchMain.START + "\nold table\n" + BenchMain.END
                        + "\n\n## Reading the figures\n\nkept\n");

        String written =
                BenchMain.document(docs, "| new | table |\n", false, "wrk", "nginx 1.22.1", List.of("-Xms16m"));

        assertTrue(written.startsWith("# Benchmarks\n\nintro\n\n" + BenchMain.START), written);
        assertTrue(written.contains("| new | table |") && !written.contains("old table"), written);
        assertTrue(written.contains("`-Xms16m`") && written.contains("Upstream: nginx 1.22.1"), written);
        assertTrue(written.endsWith(BenchMain.END + "\n\n## Reading the figures\n\nkept\n"), written);
    }
}
