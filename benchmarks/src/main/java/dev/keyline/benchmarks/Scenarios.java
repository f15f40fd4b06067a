package dev.keyline.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The workloads, each measured from the client's side; times in nanoseconds unless a name says otherwise. */
final class Scenarios {

    static final String SMALL =
            "{\"model\":\"%s\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String STREAM =
            "{\"model\":\"%s\",\"max_tokens\":16,\"stream\":true,\"metadata\":{\"user_id\":\"events:%d:%d\"},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String LOOP = "{\"model\":\"bench-search\",\"max_tokens\":64,\"metadata\":{\"user_id\":\"loop:%s\"},"
            + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"search three things\"}]}";

    private Scenarios() {}

    /** Percentiles of a sample, in milliseconds. */
    record Stats(double p50, double p99, int n) {
        static Stats of(List<Long> nanos) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return new Stats(
                    sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6,
                    sorted.size());
        }
    }

    /** Scenario 1: sequential small requests over one keep-alive connection. */
    static Stats latency(Gateway gateway, int warmup, int count) throws Exception {
        HttpClient http = client();
        String body = SMALL.formatted(gateway.model());
        for (int i = 0; i < warmup; i++) {
            send(http, gateway, body);
        }
        List<Long> times = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            send(http, gateway, body);
            times.add(System.nanoTime() - started);
        }
        return Stats.of(times);
    }

    /** Throughput and latency of a closed loop. */
    record Load(double requestsPerSecond, Stats latency, long errors) {}

    /** Scenario 2: {@code connections} clients, each sending its next request as soon as the last is answered. */
    static Load load(Gateway gateway, int connections, Duration duration) throws Exception {
        String body = SMALL.formatted(gateway.model());
        List<Long> times = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < connections; c++) {
                threads.submit(() -> {
                    HttpClient http = client();
                    while (System.nanoTime() < deadline) {
                        long started = System.nanoTime();
                        try {
                            if (send(http, gateway, body) != 200) {
                                errors.incrementAndGet();
                            }
                            times.add(System.nanoTime() - started);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        return new Load(times.size() / (duration.toMillis() / 1000.0), Stats.of(times), errors.get());
    }

    /** Time to first and last byte of a stream. */
    record Stream(Stats firstByte, Stats lastByte) {}

    /**
     * Scenario 3: a stream of {@code events} text deltas, relayed whole, after {@code warmup} of short streams (so
     * the stream path is compiled code, as in a gateway that has been serving for a while).
     */
    static Stream stream(Gateway gateway, Duration warmup, int runs, int events) throws Exception {
        HttpClient http = client();
        long warm = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < warm) {
            timeStream(http, gateway, 10);
        }
        List<Long> first = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long[] times = timeStream(http, gateway, events);
            first.add(times[0]);
            last.add(times[1]);
        }
        return new Stream(Stats.of(first), Stats.of(last));
    }

    /** @return nanoseconds to the first and to the last byte of the body */
    private static long[] timeStream(HttpClient http, Gateway gateway, int events) throws Exception {
        long started = System.nanoTime();
        HttpResponse<InputStream> response = http.send(
                gateway.request(STREAM.formatted(gateway.model(), events, 0)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            in.read();
            long firstByte = System.nanoTime() - started;
            in.transferTo(OutputStreams.NULL);
            return new long[] {firstByte, System.nanoTime() - started};
        }
    }

    /**
     * Scenario 4: a web-search loop of two hops and three parallel searches; only Keyline runs such loops. The
     * {@code warmup} loops wait for nothing, so the loop's code is compiled before the timed ones.
     */
    static Stats searchLoop(Gateway gateway, int warmup, int runs, long hopMillis) throws Exception {
        HttpClient http = client();
        for (int run = 0; run < warmup; run++) {
            expectOk(send(http, gateway, LOOP.formatted("warm")));
        }
        List<Long> times = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long started = System.nanoTime();
            expectOk(send(http, gateway, LOOP.formatted(Long.toString(hopMillis))));
            times.add(System.nanoTime() - started);
        }
        return Stats.of(times);
    }

    /**
     * Scenario 4's physical limit, measured: the harness itself plays the loop against the upstream with the same
     * client (first hop, the three searches in parallel, the second hop), so the upstream's own overheads count on
     * both sides.
     */
    static Stats directLoop(Gateway direct, int runs, long hopMillis) throws Exception {
        HttpClient http = client();
        String first = LOOP.formatted(Long.toString(hopMillis)).replace("bench-search", direct.model());
        String second = first.replace(
                "\"content\":\"search three things\"}",
                "\"content\":\"search three things\"},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\"}]}");
        List<Long> times = new ArrayList<>();
        for (int run = 0; run < runs + 2; run++) {
            long started = System.nanoTime();
            expectOk(send(http, direct, first));
            List<CompletableFuture<HttpResponse<byte[]>>> searches = new ArrayList<>();
            for (int q = 0; q < 3; q++) {
                searches.add(http.sendAsync(
                        HttpRequest.newBuilder(URI.create(direct.baseUrl() + "/search?q=q" + q + "&format=json"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (CompletableFuture<HttpResponse<byte[]>> search : searches) {
                expectOk(search.get().statusCode());
            }
            expectOk(send(http, direct, second));
            if (run >= 2) {
                times.add(System.nanoTime() - started);
            }
        }
        return Stats.of(times);
    }

    private static void expectOk(int status) {
        if (status != 200) {
            throw new IllegalStateException("the search loop answered HTTP " + status);
        }
    }

    /** Scenario 5: resident memory while {@code streams} slow streams are open through the gateway. */
    static long memoryWithOpenStreams(Gateway gateway, int streams) throws Exception {
        return holdStreams(gateway, streams, 0).rssMib();
    }

    /** What holding streams open costs: the gateway's RSS, and the first byte of fresh streams meanwhile. */
    record Held(long rssMib, int opened, Stats freshFirstByte) {}

    /**
     * Opens {@code streams} slow streams (an event a second for two minutes), waits for them to settle, reads the
     * gateway's RSS, then times the first byte of {@code fresh} short streams sent one by one while those are held.
     */
    static Held holdStreams(Gateway gateway, int streams, int fresh) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        List<CompletableFuture<HttpResponse<InputStream>>> open = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            open.add(http.sendAsync(
                    gateway.request(STREAM.formatted(gateway.model(), 120, 1000))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        }
        int opened = 0;
        for (CompletableFuture<HttpResponse<InputStream>> future : open) {
            try {
                future.get(60, TimeUnit.SECONDS);
                opened++;
            } catch (Exception e) {
                // Counted below: a stream the gateway could not hold open.
            }
        }
        Thread.sleep(2000);
        long rss = gateway.residentMib();
        Stats freshFirstByte =
                fresh > 0 ? stream(gateway, Duration.ZERO, fresh, 10).firstByte() : null;
        for (CompletableFuture<HttpResponse<InputStream>> future : open) {
            future.thenAccept(response -> {
                try {
                    response.body().close();
                } catch (IOException e) {
                    // closing an abandoned stream
                }
            });
        }
        if (opened < streams) {
            System.err.println(gateway.name() + ": only " + opened + " of " + streams + " streams opened");
        }
        return new Held(rss, opened, freshFirstByte);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static int send(HttpClient http, Gateway gateway, String body) throws IOException, InterruptedException {
        return http.send(gateway.request(body).build(), HttpResponse.BodyHandlers.ofByteArray())
                .statusCode();
    }

    /** An output stream that discards. */
    private static final class OutputStreams {
        static final OutputStream NULL = OutputStream.nullOutputStream();
    }
}
