package dev.keyline.conformance.faults;

import dev.keyline.conformance.kit.GatewayLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds many streams open through a gateway for a long time, clients leaving at random mid-stream, and counts:
 * every stream must end whole (or where its client chose to leave), none may hang, the upstream connection of a
 * client that left must close promptly, and the gateway's resident memory must stay flat.
 */
public final class Soak {

    /** Deltas per upstream stream, and the pause between them: each stream lasts about four seconds. */
    private static final int DELTAS = 40;

    private static final Duration DELTA_PAUSE = Duration.ofMillis(100);
    private static final Duration HANG = Duration.ofSeconds(30);
    /** The share of streams whose client leaves before the end. */
    private static final double LEAVING = 0.3;

    private Soak() {}

    /**
     * @param streams      streams opened
     * @param completed    streams read to {@code message_stop}
     * @param left         streams whose client left on purpose
     * @param lost         streams that ended early without the client leaving (an error event or a cut)
     * @param hung         streams with no byte for 30 s
     * @param closeMs      for clients that left: when the gateway closed the upstream connection, p50/p99/max ms
     * @param unclosed     left streams whose upstream connection was still open 5 s after the client left
     * @param rssMb        the gateway's resident memory, sampled every 10 s
     */
    public record Report(
            int concurrency,
            double minutes,
            long streams,
            long completed,
            long left,
            long lost,
            long hung,
            long[] closeMs,
            long unclosed,
            List<Long> rssMb,
            List<String> examples) {

        public boolean clean() {
            return lost == 0 && hung == 0 && unclosed == 0 && closeMs[1] <= 1_000;
        }

        public String summary() {
            return concurrency + " concurrent streams for " + String.format("%.1f", minutes) + " min: " + streams
                    + " streams, " + completed + " whole, " + left + " left by their client, " + lost + " lost, "
                    + hung + " hung; upstream closed after a client left: p50 " + closeMs[0] + " ms, p99 "
                    + closeMs[1] + " ms, max " + closeMs[2] + " ms, " + unclosed + " still open after 5 s; "
                    + "gateway RSS MB every 10 s: " + rssMb + (examples.isEmpty() ? "" : "; " + examples);
        }
    }

    public static Report run(GatewayLauncher launcher, Path work, int concurrency, Duration length, long seed)
            throws Exception {
        Files.createDirectories(work);
        Map<String, FaultyUpstream.Exchange> byStream = new ConcurrentHashMap<>();
        try (FaultyUpstream upstream = new FaultyUpstream()) {
            upstream.on("soak", exchange -> {
                String id = streamId(exchange.body());
                byStream.put(id, exchange);
                Answers.streamHead(exchange, "chunk ");
                exchange.watchForClose();
                for (int i = 1; i < DELTAS; i++) {
                    Thread.sleep(DELTA_PAUSE);
                    Answers.delta(exchange, "chunk ");
                }
                Answers.streamTail(exchange);
            });
            Path config = work.resolve("soak-config.yaml");
            Files.writeString(
                    config,
                    "model_list:\n  - model_name: soak\n    litellm_params:\n      model: anthropic/soak-model\n"
                            + "      api_base: " + upstream.base("soak") + "\n      api_key: os.environ/FAULT_KEY\n");
            AtomicLong streams = new AtomicLong();
            AtomicLong completed = new AtomicLong();
            AtomicLong left = new AtomicLong();
            AtomicLong lost = new AtomicLong();
            AtomicLong hung = new AtomicLong();
            List<Long> closeNanos = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger unclosed = new AtomicInteger();
            List<String> examples = Collections.synchronizedList(new ArrayList<>());
            List<Long> rss = Collections.synchronizedList(new ArrayList<>());
            long started = System.nanoTime();
            long ends = started + length.toNanos();
            try (GatewayLauncher.RunningGateway gateway = launcher.launch(config, Map.of("FAULT_KEY", FaultSuite.KEY));
                    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                URI base = URI.create(gateway.baseUrl());
                Optional<ProcessHandle> process = gatewayProcess(config);
                Future<?> sampler = clients.submit(() -> {
                    while (System.nanoTime() < ends) {
                        process.flatMap(Soak::rssMb).ifPresent(rss::add);
                        Thread.sleep(10_000);
                    }
                    return null;
                });
                List<Future<?>> running = new ArrayList<>();
                // Each client's choices from its own well-mixed seed: Random(seed + c) for neighbouring c gives
                // nearly the same first draws (with seed 7, none of 100 clients left on its first stream, so a
                // run where each client has time for one stream, a loaded machine's, had no leaver at all).
                SplittableRandom seeds = new SplittableRandom(seed);
                for (int c = 0; c < concurrency; c++) {
                    Random random = new Random(seeds.nextLong());
                    int client = c;
                    running.add(clients.submit(() -> {
                        for (int n = 0; System.nanoTime() < ends; n++) {
                            String id = client + "-" + n;
                            streams.incrementAndGet();
                            int leaveAfter = random.nextDouble() < LEAVING ? 3 + random.nextInt(DELTAS - 13) : -1;
                            Outcome outcome = stream(base, id, leaveAfter);
                            switch (outcome.kind()) {
                                case WHOLE -> completed.incrementAndGet();
                                case HUNG -> hung.incrementAndGet();
                                case LOST -> {
                                    lost.incrementAndGet();
                                    if (examples.size() < 5) {
                                        examples.add(id + ": " + outcome.detail());
                                    }
                                }
                                case LEFT -> {
                                    left.incrementAndGet();
                                    long closedAt = awaitClosed(byStream, id, outcome.leftAtNanos());
                                    if (closedAt == 0) {
                                        unclosed.incrementAndGet();
                                    } else {
                                        closeNanos.add(Math.max(0, closedAt - outcome.leftAtNanos()));
                                    }
                                }
                            }
                            byStream.remove(id);
                        }
                        return null;
                    }));
                }
                for (Future<?> future : running) {
                    future.get();
                }
                sampler.cancel(true);
                process.flatMap(Soak::rssMb).ifPresent(rss::add);
            }
            List<Long> sorted = new ArrayList<>(closeNanos);
            Collections.sort(sorted);
            long[] closeMs = sorted.isEmpty()
                    ? new long[] {0, 0, 0}
                    : new long[] {
                        sorted.get(sorted.size() / 2) / 1_000_000,
                        sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1_000_000,
                        sorted.getLast() / 1_000_000
                    };
            return new Report(
                    concurrency,
                    (System.nanoTime() - started) / 60e9,
                    streams.get(),
                    completed.get(),
                    left.get(),
                    lost.get(),
                    hung.get(),
                    closeMs,
                    unclosed.get(),
                    List.copyOf(rss),
                    List.copyOf(examples));
        }
    }

    private enum Kind {
        WHOLE,
        LEFT,
        LOST,
        HUNG
    }

    private record Outcome(Kind kind, long leftAtNanos, String detail) {}

    private static Outcome stream(URI base, String id, int leaveAfter) {
        String body = "{\"model\":\"soak\",\"max_tokens\":64,\"stream\":true,\"metadata\":{\"user_id\":\"" + id
                + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) HANG.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                            + "anthropic-version: 2023-06-01\r\ncontent-length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[8192];
            int deltas = 0;
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    return new Outcome(Kind.LOST, 0, "the stream ended without message_stop: " + tail(seen));
                }
                String chunk = new String(buffer, 0, read, StandardCharsets.UTF_8);
                seen.append(chunk);
                if (seen.length() > 4096) {
                    seen.delete(0, seen.length() - 4096);
                }
                if (chunk.contains("event: error")) {
                    return new Outcome(Kind.LOST, 0, "an error event: " + tail(seen));
                }
                // Counted up to the end of the stream when it is in this read: on a loaded machine the whole rest
                // of a stream can arrive in one read (the gateway writes events that came together at once), and a
                // client that meant to leave part-way still leaves where it meant to.
                int stop = chunk.indexOf("event: message_stop");
                deltas += count(stop < 0 ? chunk : chunk.substring(0, stop), "event: content_block_delta");
                if (leaveAfter > 0 && deltas >= leaveAfter) {
                    long leftAt = System.nanoTime();
                    socket.close();
                    return new Outcome(Kind.LEFT, leftAt, "");
                }
                if (seen.indexOf("event: message_stop") >= 0) {
                    return new Outcome(Kind.WHOLE, 0, "");
                }
            }
        } catch (SocketTimeoutException e) {
            return new Outcome(Kind.HUNG, 0, "no byte for " + HANG.toSeconds() + " s");
        } catch (IOException e) {
            return new Outcome(Kind.LOST, 0, e.toString());
        }
    }

    /** @return when the upstream connection of a stream whose client left was closed, or 0 after five seconds */
    private static long awaitClosed(Map<String, FaultyUpstream.Exchange> byStream, String id, long leftAt)
            throws InterruptedException {
        long giveUp = leftAt + 5_000_000_000L;
        while (System.nanoTime() < giveUp) {
            FaultyUpstream.Exchange exchange = byStream.get(id);
            if (exchange != null && exchange.closedAtNanos() != 0) {
                return exchange.closedAtNanos();
            }
            Thread.sleep(20);
        }
        return 0;
    }

    private static String streamId(String body) {
        int at = body.indexOf("\"user_id\":\"");
        return at < 0 ? "?" : body.substring(at + 11, body.indexOf('"', at + 11));
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            count++;
        }
        return count;
    }

    private static String tail(StringBuilder seen) {
        String text = seen.toString().replace("\n", "⏎");
        return text.length() <= 300 ? text : "…" + text.substring(text.length() - 300);
    }

    private static Optional<ProcessHandle> gatewayProcess(Path config) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(line -> line.contains(config.toString()))
                        .orElse(false))
                .findFirst();
    }

    private static Optional<Long> rssMb(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: no figure
        }
        return Optional.empty();
    }
}
