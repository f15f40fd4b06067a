package dev.keyline.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code keyline bench [--quick] [--write-docs] [--only 1,3] [--upstream-fast]}: every scenario against the upstream
 * directly, through Keyline and through Portkey (when installed), side by side in one run; prints a table, and with
 * {@code --write-docs} records it in docs/benchmarks.md. The JSON scenarios' upstream is nginx when it is installed
 * (a C server outside this JVM), else the fast upstream in this JVM, which also plays streams and loops.
 */
public final class BenchMain {

    private static final int WARMUP_SECONDS = 20;
    private static final int STREAM_WARMUP_SECONDS = 10;

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean quick = options.contains("--quick");
        Path root = Path.of(System.getProperty("keyline.root", "."))
                .toAbsolutePath()
                .normalize();
        Path work = Files.createDirectories(root.resolve("benchmarks/target/run"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> rows = new ArrayList<>();
        Targets targets = new Targets();
        long started = System.nanoTime();
        Optional<WrkLoad> wrk = WrkLoad.find(work);
        String loadGenerator = wrk.map(WrkLoad::version)
                .orElse("the JDK HttpClient (wrk not found; install Debian's wrk for microsecond figures)");
        // nginx answers the JSON scenarios unless --upstream-fast: a server in C, outside this JVM, as the reference.
        Optional<NginxUpstream> nginx =
                options.contains("--upstream-fast") ? Optional.empty() : NginxUpstream.start(work);
        String upstreamName = nginx.isPresent()
                ? "JSON scenarios (1, 2, 6, 7, 10): nginx " + NginxUpstream.version()
                        + " (one worker, keep-alive, a fixed answer); streams, loops and memory: a minimal Helidon server"
                        + " in the harness's JVM (TCP_NODELAY)"
                : "a minimal Helidon server in the harness's JVM (TCP_NODELAY)"
                        + (options.contains("--upstream-fast")
                                ? ""
                                : "; nginx not installed (apt-get install nginx-light)");
        if (options.contains("--growth")) {
            if (wrk.isEmpty()) {
                throw new IllegalStateException("--growth needs wrk (apt-get install wrk)");
            }
            try (FastUpstream upstream = new FastUpstream();
                    NginxUpstreamCloser closeNginx = new NginxUpstreamCloser(nginx)) {
                Gateway.Upstreams upstreams = new Gateway.Upstreams(
                        nginx.map(NginxUpstream::baseUrl).orElse(upstream.baseUrl()), upstream.baseUrl());
                growth(options, quick, root, work, java, wrk.get(), upstreams, upstreamName, started);
            }
            return;
        }
        try (FastUpstream upstream = new FastUpstream();
                NginxUpstreamCloser closeNginx = new NginxUpstreamCloser(nginx)) {
            Gateway.Upstreams upstreams = new Gateway.Upstreams(
                    nginx.map(NginxUpstream::baseUrl).orElse(upstream.baseUrl()), upstream.baseUrl());
            runAll(options, quick, root, work, java, wrk, upstreams, rows, targets);
        }
        String table = header() + String.join("\n", rows) + "\n\n" + targets.table();
        PrintStream out = System.out;
        out.println(table);
        out.printf(Locale.ROOT, "(run took %.0f s)%n", (System.nanoTime() - started) / 1e9);
        if (options.contains("--write-docs")) {
            Path docs = root.resolve("docs/benchmarks.md");
            // Paths inside the checkout are recorded relative to it: the same on every machine.
            List<String> shown = keylineJvmOptions(options).stream()
                    .map(option -> option.replace(root + "/", ""))
                    .toList();
            Files.writeString(docs, document(docs, table, quick, loadGenerator, upstreamName, shown));
        }
    }

    static final String GROWTH_START = "<!-- growth:start -->";
    static final String GROWTH_END = "<!-- growth:end -->";

    /** {@code --growth}: the growth curves, printed, and with {@code --write-docs} recorded with their charts. */
    private static void growth(
            List<String> options,
            boolean quick,
            Path root,
            Path work,
            String java,
            WrkLoad wrk,
            Gateway.Upstreams upstreams,
            String upstreamName,
            long started)
            throws Exception {
        List<GrowthCurves.Curve> curves;
        try (Gateway direct = Gateway.direct(upstreams);
                Gateway keyline = Gateway.keyline(root, work, upstreams, java, keylineJvmOptions(options))) {
            curves = GrowthCurves.measure(direct, keyline, upstreams, wrk, quick);
        }
        boolean write = options.contains("--write-docs");
        Path images = write ? root.resolve("docs/images") : work.resolve("images");
        String table = String.join("\n", GrowthCurves.record(curves, images)) + "\n";
        System.out.println(table);
        System.out.printf(
                Locale.ROOT, "(run took %.0f s; charts in %s)%n", (System.nanoTime() - started) / 1e9, images);
        if (write) {
            Path docs = root.resolve("docs/benchmarks.md");
            String current = Files.readString(docs);
            String recorded = GROWTH_START + "\n\nRecorded " + LocalDate.now(ZoneOffset.UTC)
                    + " by `./keyline bench --growth --write-docs` on "
                    + Runtime.getRuntime().availableProcessors()
                    + " cores. Upstream: " + upstreamName + ". JSON points: wrk, 1 connection, p50 of "
                    + (quick ? 2 : 4) + " s after " + (quick ? 1 : 3) + " s of warm-up; streams: the JDK client.\n\n"
                    + table + "\n"
                    + curves.stream()
                            .map(c -> "![" + c.title() + "](images/growth-" + c.id() + ".svg)")
                            .reduce((a, b) -> a + "\n" + b)
                            .orElse("")
                    + "\n\n" + GROWTH_END;
            int start = current.indexOf(GROWTH_START);
            int end = current.indexOf(GROWTH_END);
            String updated = start >= 0 && end > start
                    ? current.substring(0, start) + recorded + current.substring(end + GROWTH_END.length())
                    : current + "\n## How cost grows\n\n" + recorded + "\n";
            Files.writeString(docs, updated);
        }
    }

    /** Closes nginx, when it runs, with the rest of the run's resources. */
    private record NginxUpstreamCloser(Optional<NginxUpstream> nginx) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            if (nginx.isPresent()) {
                nginx.get().close();
            }
        }
    }

    private static void runAll(
            List<String> options,
            boolean quick,
            Path root,
            Path work,
            String java,
            Optional<WrkLoad> wrk,
            Gateway.Upstreams upstreams,
            List<String> rows,
            Targets targets)
            throws Exception {
        try (Gateway direct = Gateway.direct(upstreams);
                Gateway keyline = Gateway.keyline(root, work, upstreams, java, keylineJvmOptions(options));
                Gateway portkey = Files.exists(root.resolve(".peers/portkey/node_modules"))
                        ? Gateway.portkey(root, work, upstreams)
                        : null;
                Gateway ccr = Files.exists(root.resolve(".peers/claude-code-router/node_modules/.bin/ccr"))
                        ? Gateway.claudeCodeRouter(root, work, upstreams)
                        : null) {
            List<Gateway> paths = new ArrayList<>(List.of(direct, keyline));
            if (portkey != null) {
                paths.add(portkey);
            }
            if (ccr != null) {
                paths.add(ccr);
            }
            List<Gateway> peers = paths.subList(2, paths.size());
            List<Gateway> dynamicPaths =
                    paths.stream().map(p -> p.toDynamic(upstreams)).toList();
            Map<String, Long> idle = new LinkedHashMap<>();
            for (Gateway path : paths.subList(1, paths.size())) {
                idle.put(path.name(), path.residentMib());
            }
            if (runs(options, 5)) {
                // Start-up, before the load: fresh processes with the same options, one at a time, once the gateways
                // just started (and this harness's own JIT) have settled: a start timed while two other processes
                // start on the same two cores measures their contention.
                Thread.sleep(3_000);
                List<Long> ready = new ArrayList<>();
                HttpClient poller = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                poller.send(
                        HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                for (int i = 0; i < (quick ? 3 : 7); i++) {
                    ready.add((long)
                            (Gateway.millisToReady(root, work, upstreams, java, keylineJvmOptions(options), poller)
                                    * 1e6));
                }
                targets.ready(Scenarios.Stats.of(ready).p50());
            }
            int warmup = quick ? 200 : 2_000;
            int count = quick ? 500 : 5_000;

            if (runs(options, 1)) {
                List<Scenarios.Stats> latency = new ArrayList<>();
                for (Gateway path : paths) {
                    if (wrk.isPresent()) {
                        String body = Scenarios.SMALL.formatted(path.model());
                        // Long enough for C2 to finish: after 10 s Keyline's p99 was still twice its 30 s value.
                        wrk.get().run(path, body, 1, Duration.ofSeconds(quick ? 1 : WARMUP_SECONDS));
                        latency.add(wrk.get()
                                .run(path, body, 1, Duration.ofSeconds(quick ? 3 : 10))
                                .latency());
                    } else {
                        latency.add(Scenarios.latency(path, warmup, count));
                    }
                }
                targets.smallRequest(latency.get(0), latency.get(1), byPeer(peers, latency.subList(2, latency.size())));
                rows.add(row(
                        "1. small request, 1 connection: p50 ms",
                        paths,
                        latency.stream().map(s -> s.p50()).toList()));
                rows.add(row(
                        "1. small request, 1 connection: p99 ms",
                        paths,
                        latency.stream().map(s -> s.p99()).toList()));
            }

            for (int connections : !runs(options, 2) ? new int[0] : quick ? new int[] {64} : new int[] {16, 64, 256}) {
                // 64 connections is the headline: interleaved rounds, each path's CPU per request from /proc.
                int rounds = connections == 64 ? (quick ? 1 : 3) : 1;
                Duration duration = Duration.ofSeconds(quick ? 2 : connections == 64 ? 5 : 10);
                ClosedLoop loop = closedLoop(
                        paths, wrk, connections, duration, rounds, path -> Scenarios.SMALL.formatted(path.model()));
                rows.add(row("2. closed loop, " + connections + " connections: requests/s", paths, loop.rps()));
                rows.add(row("2. closed loop, " + connections + " connections: p99 ms", paths, loop.p99()));
                if (connections == 64) {
                    rows.add(row(
                            "2. closed loop, 64 connections: gateway CPU µs per request (medians of " + rounds
                                    + " interleaved rounds)",
                            paths,
                            loop.cpuMicros()));
                    targets.closedLoop64(
                            loop.rps().get(0),
                            loop.rps().get(1),
                            byPeer(peers, loop.rps().subList(2, paths.size())));
                    targets.cpuPerRequest(
                            loop.cpuMicros().get(1),
                            byPeer(peers, loop.cpuMicros().subList(2, paths.size())));
                }
                if (loop.errors() > 0) {
                    rows.add("|   (errors at " + connections + " connections: " + loop.errors() + ") | | | | |");
                }
            }

            if (runs(options, 3)) {
                List<Scenarios.Stream> streams = new ArrayList<>();
                for (Gateway path : dynamicPaths) {
                    streams.add(Scenarios.stream(
                            path, Duration.ofSeconds(quick ? 1 : STREAM_WARMUP_SECONDS), quick ? 5 : 30, 1_000));
                }
                // The same with a short stream: what the gateway itself adds to the first byte, without 1,000
                // events competing with it for the two cores.
                List<Scenarios.Stream> short10 = new ArrayList<>();
                for (Gateway path : dynamicPaths) {
                    short10.add(Scenarios.stream(path, Duration.ZERO, quick ? 5 : 100, 10));
                }
                List<Double> firstBytes =
                        short10.stream().map(s -> s.firstByte().p50()).toList();
                targets.shortStreamFirstByte(
                        firstBytes.get(0), firstBytes.get(1), byPeer(peers, firstBytes.subList(2, paths.size())));
                // Events per second a client receives on one stream, first byte included: a path that holds the
                // events back and sends them in one burst is not counted faster than the upstream that made them.
                List<Double> eventsPerSecond = streams.stream()
                        .map(s -> 1_000 / (s.lastByte().p50() / 1_000))
                        .toList();
                List<Double> shares = eventsPerSecond.stream()
                        .map(e -> 100 * e / eventsPerSecond.get(0))
                        .toList();
                targets.eventsRelayed(shares.get(1), byPeer(peers, shares.subList(2, paths.size())));
                rows.add(row(
                        "3. SSE, 1,000 events: first byte, median ms",
                        paths,
                        streams.stream().map(s -> s.firstByte().p50()).toList()));
                rows.add(row(
                        "3. SSE, 1,000 events: last byte, median ms",
                        paths,
                        streams.stream().map(s -> s.lastByte().p50()).toList()));
                rows.add(row(
                        "3. SSE, 1,000 events: events/s received (1,000 / time to the last byte)",
                        paths,
                        eventsPerSecond));
                rows.add(row("3. SSE, 10 events: first byte, median ms", paths, firstBytes));
            }

            if (runs(options, 10) && wrk.isPresent()) {
                rows.addAll(largeRequestRows(paths, wrk.get(), quick, targets));
            }

            if (runs(options, 4)) {
                long hop = 50;
                Scenarios.Stats floor = Scenarios.directLoop(direct.toDynamic(upstreams), quick ? 3 : 20, hop);
                Scenarios.Stats loop = Scenarios.searchLoop(keyline, quick ? 50 : 500, quick ? 3 : 20, hop);
                double nominal = 2 * hop + FastUpstream.SEARCH_MILLIS[2];
                targets.loop(floor.p50(), loop.p50());
                rows.add("| 4. web-search loop (2 hops of " + hop + " ms, 3 parallel searches of 30/60/90 ms; nominal "
                        + fmt(nominal) + " ms): median ms | " + fmt(floor.p50()) + " (the harness plays the loop) | "
                        + fmt(loop.p50()) + " (" + (loop.p50() >= floor.p50() ? "+" : "")
                        + fmt(loop.p50() - floor.p50())
                        + ") | no search loop | no search loop |");
            }

            if (runs(options, 5)) {
                int open = quick ? 100 : 1_000;
                List<String> cells = new ArrayList<>();
                Map<String, Double> peerKib = new LinkedHashMap<>();
                long keylineStreams = -1;
                double keylineKib = Double.NaN;
                for (int i = 1; i < paths.size(); i++) {
                    Gateway path = paths.get(i);
                    long warm = path.residentMib();
                    long withStreams = Scenarios.memoryWithOpenStreams(dynamicPaths.get(i), open);
                    double kibPerStream = (withStreams - warm) * 1024.0 / open;
                    cells.add(idle.get(path.name()) + " / " + warm + " / " + withStreams + " ("
                            + String.format(Locale.ROOT, "%.0f", kibPerStream) + " KiB a stream)");
                    if (path == keyline) {
                        keylineStreams = withStreams;
                        keylineKib = kibPerStream;
                    } else {
                        peerKib.put(path.name(), kibPerStream);
                    }
                }
                targets.openStreams(open, keylineStreams, keylineKib, peerKib);
                rows.add("| 5. RSS MiB: idle / after the load / " + open + " open streams | — | "
                        + String.join(" | ", cells) + missingPeers(paths) + " |");
            }

            if (runs(options, 6) && wrk.isPresent()) {
                rows.addAll(sharedStateRows(
                        root, work, upstreams, java, keylineJvmOptions(options), keyline, wrk.get(), quick));
            }

            if (runs(options, 7) && wrk.isPresent()) {
                rows.addAll(operationsRows(
                        root, work, upstreams, java, keylineJvmOptions(options), keyline, wrk.get(), quick));
            }

            if (runs(options, 8) && wrk.isPresent()) {
                rows.addAll(keysRows(root, work, upstreams, java, keylineJvmOptions(options), wrk.get(), quick));
            }
            if (runs(options, 9)) {
                rows.addAll(rescueRows(root, work, upstreams, java, keylineJvmOptions(options), quick));
            }
        }
    }

    /** Each peer's figure by name, in the order of {@code peers}. */
    private static <T> Map<String, T> byPeer(List<Gateway> peers, List<T> values) {
        Map<String, T> byName = new LinkedHashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            byName.put(peers.get(i).name(), values.get(i));
        }
        return byName;
    }

    /** A closed loop's medians per path, in the order of the paths; CPU is -1 for the direct path. */
    private record ClosedLoop(
            List<Double> rps, List<Double> p50, List<Double> p99, List<Double> cpuMicros, long errors) {}

    /**
     * {@code rounds} interleaved rounds of a closed loop (each round starts with the next path, so none always meets
     * the machine the others left), each path's gateway CPU per request read from {@code /proc} around its run;
     * medians of the rounds.
     *
     * @param body the request each path is sent, by path (its model differs)
     */
    private static ClosedLoop closedLoop(
            List<Gateway> paths,
            Optional<WrkLoad> wrk,
            int connections,
            Duration duration,
            int rounds,
            Function<Gateway, String> body)
            throws Exception {
        List<List<Double>> rps = new ArrayList<>();
        List<List<Double>> p50 = new ArrayList<>();
        List<List<Double>> p99 = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            rps.add(new ArrayList<>());
            p50.add(new ArrayList<>());
            p99.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
        }
        long errors = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < paths.size(); i++) {
                int p = (i + round) % paths.size();
                Gateway path = paths.get(p);
                long cpuBefore = path.cpuNanos();
                Scenarios.Load load = wrk.isPresent()
                        ? wrk.get().run(path, body.apply(path), connections, duration)
                        : Scenarios.load(path, connections, duration);
                long cpuAfter = path.cpuNanos();
                rps.get(p).add(load.requestsPerSecond());
                p50.get(p).add(load.latency().p50());
                p99.get(p).add(load.latency().p99());
                double requests = load.requestsPerSecond() * duration.toMillis() / 1000.0;
                cpu.get(p).add(cpuBefore < 0 ? -1 : (cpuAfter - cpuBefore) / 1000.0 / requests);
                errors += load.errors();
            }
        }
        return new ClosedLoop(
                rps.stream().map(BenchMain::middle).toList(),
                p50.stream().map(BenchMain::middle).toList(),
                p99.stream().map(BenchMain::middle).toList(),
                cpu.stream().map(BenchMain::middle).toList(),
                errors);
    }

    /**
     * Scenario 10, a 1 MB request (one user turn of a million characters) at one connection: each path warmed up,
     * then interleaved rounds; medians of the rounds' p50 and of the gateway CPU per request.
     */
    private static List<String> largeRequestRows(List<Gateway> paths, WrkLoad wrk, boolean quick, Targets targets)
            throws Exception {
        int rounds = quick ? 1 : 3;
        Function<Gateway, String> body = path -> GrowthCurves.body(path.model(), 1, 1_000_000, 0);
        for (Gateway path : paths) {
            wrk.run(path, body.apply(path), 1, Duration.ofSeconds(quick ? 1 : 5));
        }
        ClosedLoop loop = closedLoop(paths, Optional.of(wrk), 1, Duration.ofSeconds(quick ? 2 : 4), rounds, body);
        List<Double> medians = loop.p50();
        List<Double> added = medians.stream().map(m -> m - medians.get(0)).toList();
        targets.largeRequest(added.get(1), byPeer(paths.subList(2, paths.size()), added.subList(2, paths.size())));
        return List.of(
                row(
                        "10. 1 MB request, 1 connection: p50 ms (medians of " + rounds + " interleaved rounds)",
                        paths,
                        medians),
                row(
                        "10. 1 MB request, 1 connection: gateway CPU ms per request",
                        paths,
                        loop.cpuMicros().stream()
                                .map(micros -> micros < 0 ? -1 : micros / 1000)
                                .toList()));
    }

    /** Empty cells for the peers that are not installed, after the installed ones' cells. */
    private static String missingPeers(List<Gateway> paths) {
        StringBuilder cells = new StringBuilder();
        for (String peer : Targets.PEERS) {
            if (paths.stream().noneMatch(p -> p.name().equals(peer))) {
                cells.append(" | not installed");
            }
        }
        return cells.toString();
    }

    /**
     * Scenario 6, what limits and a fleet's Redis cost on the hot path: the same small request to a group without
     * limits, to one with limits counted in the process, and to one with limits counted in Redis (a second Keyline
     * sharing a redis-server the harness starts), side by side.
     */
    private static List<String> sharedStateRows(
            Path root,
            Path work,
            Gateway.Upstreams upstreams,
            String java,
            List<String> jvmOptions,
            Gateway keyline,
            WrkLoad wrk,
            boolean quick)
            throws Exception {
        Optional<Path> redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
        if (redisServer.isEmpty()) {
            return List.of(
                    "| 6. limits and Redis: redis-server not installed (apt-get install redis-server) | | | | |");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process redis = new ProcessBuilder(
                        redisServer.get().toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("redis.log").toFile())
                .start();
        try (Gateway shared =
                Gateway.keyline(root, work, upstreams, java, jvmOptions, Optional.of("redis://127.0.0.1:" + port))) {
            return sideBySide(
                    "6. limits",
                    "no limits / limits in the process / limits in Redis",
                    List.of(keyline, keyline.withModel("bench-limited"), shared.withModel("bench-limited")),
                    wrk,
                    quick);
        } finally {
            redis.destroy();
            redis.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Scenario 7, what the operators' view costs: the same small request through Keyline as it starts by default
     * (metrics on, the human access line), with the metrics off, and with JSON request and hop lines, side by side.
     */
    private static List<String> operationsRows(
            Path root,
            Path work,
            Gateway.Upstreams upstreams,
            String java,
            List<String> jvmOptions,
            Gateway keyline,
            WrkLoad wrk,
            boolean quick)
            throws Exception {
        List<Gateway.Operations> others = List.of(
                new Gateway.Operations("-no-metrics", false, false), new Gateway.Operations("-json-logs", true, true));
        List<Gateway> started = new ArrayList<>();
        try {
            for (Gateway.Operations operations : others) {
                started.add(Gateway.keyline(root, work, upstreams, java, jvmOptions, Optional.empty(), operations));
            }
            return sideBySide(
                    "7. operations",
                    "metrics on (default) / metrics off / metrics on + JSON hop logs",
                    List.of(keyline, started.get(0), started.get(1)),
                    wrk,
                    quick);
        } finally {
            for (Gateway gateway : started) {
                gateway.close();
            }
        }
    }

    /**
     * Scenario 8, what virtual keys cost per request: the master key on a gateway without virtual keys, the master key
     * on one with them, and a virtual key with a budget and an rpm limit (authenticated from the cache, admitted
     * against its counters, priced and written to the spend log in batches), side by side.
     */
    private static List<String> keysRows(
            Path root,
            Path work,
            Gateway.Upstreams upstreams,
            String java,
            List<String> jvmOptions,
            WrkLoad wrk,
            boolean quick)
            throws Exception {
        try (Gateway plain = Gateway.keyline(
                        root,
                        work,
                        upstreams,
                        java,
                        jvmOptions,
                        Optional.empty(),
                        new Gateway.Operations("-master-key", true, false, Gateway.Keys.MASTER_ONLY));
                Gateway keyed = Gateway.keyline(
                        root,
                        work,
                        upstreams,
                        java,
                        jvmOptions,
                        Optional.empty(),
                        new Gateway.Operations("-virtual-keys", true, false, Gateway.Keys.VIRTUAL))) {
            return sideBySide(
                    "8. keys",
                    "master key, keys off / master key, keys on / a virtual key with budget and rpm",
                    List.of(plain, keyed, keyed.withVirtualKey()),
                    wrk,
                    quick);
        }
    }

    /**
     * Scenario 9, what stream rescue's bookkeeping costs a stream that never breaks: the same 1,000-event stream
     * through a Keyline with rescue on (the default) and one with {@code stream_resume: false}, in interleaved rounds;
     * medians of the rounds' medians.
     */
    private static List<String> rescueRows(
            Path root, Path work, Gateway.Upstreams upstreams, String java, List<String> jvmOptions, boolean quick)
            throws Exception {
        try (Gateway on = Gateway.keyline(
                        root,
                        work,
                        upstreams,
                        java,
                        jvmOptions,
                        Optional.empty(),
                        new Gateway.Operations("-rescue-on", true, false, Gateway.Keys.OPEN, true));
                Gateway off = Gateway.keyline(
                        root,
                        work,
                        upstreams,
                        java,
                        jvmOptions,
                        Optional.empty(),
                        new Gateway.Operations("-rescue-off", true, false, Gateway.Keys.OPEN, false))) {
            List<Gateway> variants = List.of(on.toDynamic(upstreams), off.toDynamic(upstreams));
            int rounds = quick ? 1 : 8;
            List<List<Double>> firstBytes = List.of(new ArrayList<>(), new ArrayList<>());
            List<List<Double>> eventsPerSecond = List.of(new ArrayList<>(), new ArrayList<>());
            for (Gateway variant : variants) {
                Scenarios.stream(variant, Duration.ofSeconds(quick ? 1 : STREAM_WARMUP_SECONDS), 1, 1_000);
            }
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < variants.size(); i++) {
                    // Each round starts with the other variant: whichever goes second meets a warmer machine.
                    int v = (i + round) % variants.size();
                    Scenarios.Stream stream = Scenarios.stream(variants.get(v), Duration.ZERO, quick ? 5 : 20, 1_000);
                    firstBytes.get(v).add(stream.firstByte().p50());
                    double relayMs =
                            stream.lastByte().p50() - stream.firstByte().p50();
                    eventsPerSecond.get(v).add(1_000 / (relayMs / 1_000));
                }
            }
            double onRate = middle(eventsPerSecond.get(0));
            double offRate = middle(eventsPerSecond.get(1));
            return List.of(
                    "| 9. stream rescue on / off (SSE, 1,000 events): first byte, median ms | — | "
                            + median(firstBytes.get(0)) + " / " + median(firstBytes.get(1)) + " | — | — |",
                    "| 9. stream rescue on / off: events/s relayed, median | — | "
                            + String.format(Locale.ROOT, "%,.0f", onRate)
                            + " / " + String.format(Locale.ROOT, "%,.0f", offRate) + " ("
                            + String.format(Locale.ROOT, "%+.1f%%", 100 * (onRate / offRate - 1)) + ") | — | — |");
        }
    }

    /**
     * The same small request through each variant: warmed up, then interleaved rounds at 1 and 16 connections,
     * medians reported. On a shared machine a gateway measured later in a run is slower (the upstream side
     * accumulates idle connections), which a fixed order would charge to one variant.
     */
    private static List<String> sideBySide(
            String scenario, String variantNames, List<Gateway> variants, WrkLoad wrk, boolean quick) throws Exception {
        int rounds = quick ? 1 : 5;
        List<List<Double>> p50s = new ArrayList<>();
        List<List<Double>> p99s = new ArrayList<>();
        List<List<Double>> loads = new ArrayList<>();
        for (Gateway variant : variants) {
            p50s.add(new ArrayList<>());
            p99s.add(new ArrayList<>());
            loads.add(new ArrayList<>());
            wrk.run(variant, Scenarios.SMALL.formatted(variant.model()), 1, Duration.ofSeconds(quick ? 1 : 10));
        }
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < variants.size(); v++) {
                Gateway variant = variants.get(v);
                String body = Scenarios.SMALL.formatted(variant.model());
                Scenarios.Stats one = wrk.run(variant, body, 1, Duration.ofSeconds(quick ? 2 : 4))
                        .latency();
                p50s.get(v).add(one.p50());
                p99s.get(v).add(one.p99());
                loads.get(v)
                        .add(wrk.run(variant, body, 16, Duration.ofSeconds(quick ? 2 : 4))
                                .requestsPerSecond());
            }
        }
        List<String> p50 = p50s.stream().map(BenchMain::median).toList();
        List<String> p99 = p99s.stream().map(BenchMain::median).toList();
        List<String> rps = loads.stream().map(BenchMain::median).toList();
        String columns = " (" + variantNames + "; medians of " + rounds + " rounds)";
        return List.of(
                "| " + scenario + columns + ", 1 connection: p50 ms | — | " + String.join(" / ", p50) + " | — | — |",
                "| " + scenario + columns + ", 1 connection: p99 ms | — | " + String.join(" / ", p99) + " | — | — |",
                "| " + scenario + columns + ", 16 connections: requests/s | — | " + String.join(" / ", rps)
                        + " | — | — |");
    }

    private static double middle(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return fmt(sorted.get(sorted.size() / 2));
    }

    /** {@code --only 1,3} runs scenarios 1 and 3; without it, all run. */
    private static boolean runs(List<String> options, int scenario) {
        int at = options.indexOf("--only");
        return at < 0
                || at + 1 >= options.size()
                || List.of(options.get(at + 1).split(",")).contains(Integer.toString(scenario));
    }

    /**
     * The JVM options Keyline runs with: {@code --keyline-java-opts "..."} to compare variants, else the ones
     * {@code ./keyline serve} uses (passed in by the launcher), so the figures are those of the served gateway.
     */
    private static List<String> keylineJvmOptions(List<String> options) {
        int at = options.indexOf("--keyline-java-opts");
        String value =
                at >= 0 && at + 1 < options.size() ? options.get(at + 1) : System.getProperty("keyline.javaOpts", "");
        return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    private static String header() {
        return "| scenario | direct | Keyline (ratio to direct) | Portkey (Keyline ratio to Portkey)"
                + " | claude-code-router (Keyline ratio to it) |\n|---|---|---|---|---|\n";
    }

    /** A row with each path's figure, Keyline against direct, and Keyline against each peer. */
    private static String row(String scenario, List<Gateway> paths, List<Double> values) {
        StringBuilder row = new StringBuilder("| ")
                .append(scenario)
                .append(" | ")
                .append(values.get(0) < 0 ? "—" : fmt(values.get(0)))
                .append(" | ")
                .append(fmt(values.get(1)));
        if (values.get(0) >= 0) {
            row.append(" (").append(ratio(values.get(1), values.get(0))).append(")");
        }
        for (String peer : Targets.PEERS) {
            int at = -1;
            for (int i = 2; i < paths.size(); i++) {
                if (paths.get(i).name().equals(peer)) {
                    at = i;
                }
            }
            if (at < 0) {
                row.append(" | not installed");
            } else {
                row.append(" | ")
                        .append(fmt(values.get(at)))
                        .append(" (")
                        .append(ratio(values.get(1), values.get(at)))
                        .append(")");
            }
        }
        return row.append(" |").toString();
    }

    private static String ratio(double a, double b) {
        return b == 0 ? "—" : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    private static String fmt(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            String version =
                    new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            node.waitFor(5, TimeUnit.SECONDS);
            return version;
        } catch (IOException e) {
            return "(node not found)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "node";
        }
    }

    static final String START = "<!-- bench:start -->";
    static final String END = "<!-- bench:end -->";

    /** The recorded run goes between the markers; what is written around it (the reading of it) stays. */
    static String document(
            Path existing,
            String table,
            boolean quick,
            String loadGenerator,
            String upstreamName,
            List<String> jvmOptions)
            throws IOException {
        String run = START + "\n\nRecorded " + LocalDate.now(ZoneOffset.UTC) + " by `./keyline bench --write-docs"
                + (quick ? " --quick" : "") + "` on " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version() + ". Everything (load generator, upstream, gateways) shares those cores: read the "
                + "ratios, measured side by side, more than the absolute figures. Upstream: " + upstreamName
                + ". Load (scenarios 1 and 2): " + loadGenerator
                + ". Streams, loops and "
                + "memory: the JDK HttpClient over HTTP/1.1 keep-alive. Keyline's JVM options: `"
                + (jvmOptions.isEmpty() ? "(none)" : String.join(" ", jvmOptions)) + "`. Warm-up before timing: "
                + (quick ? "1 s" : WARMUP_SECONDS + " s") + " of scenario 1 per path, "
                + (quick ? "1 s" : STREAM_WARMUP_SECONDS + " s")
                + " of short streams, "
                + (quick ? 50 : 500) + " loops with no waits. Portkey: npm @portkey-ai/gateway 1.15.2 "
                + "(scripts/install-portkey.sh); claude-code-router: npm @musistudio/claude-code-router 1.0.73 "
                + "(scripts/install-claude-code-router.sh), its Anthropic transformer; both on Node "
                + nodeVersion() + ". Gateway CPU per request: user and system time of the gateway's processes from "
                + "`/proc/PID/stat` around each run, over the requests wrk counted.\n\n" + table + "\n" + END;
        String current = Files.exists(existing) ? Files.readString(existing) : "";
        int start = current.indexOf(START);
        int end = current.indexOf(END);
        if (start < 0 || end < start) {
            return "# Benchmarks\n\n" + run + "\n";
        }
        return current.substring(0, start) + run + current.substring(end + END.length());
    }
}
