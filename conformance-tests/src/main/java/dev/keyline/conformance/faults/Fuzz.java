package dev.keyline.conformance.faults;

import dev.keyline.conformance.faults.BadRequests.BadRequest;
import dev.keyline.conformance.kit.GatewayLauncher;
import java.io.ByteArrayOutputStream;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends generated bad requests ({@link BadRequests}) to a gateway over raw sockets and counts what came back: no
 * request may get a 5xx, hang, or see a key; the gateway's log may show neither a key nor a stack trace.
 */
public final class Fuzz {

    static final String GATEWAY_KEY = "sk-gateway-fuzz-5d1c9e";
    /** Longer than any answer to a bad request should take; a request still open then is a hang. */
    private static final Duration HANG = Duration.ofSeconds(20);

    private Fuzz() {}

    /**
     * @param byKind          requests sent per kind of fault
     * @param byStatus        answers per HTTP status (0: the gateway closed the connection without answering)
     * @param serverErrors    5xx answers
     * @param hangs           requests unanswered after 20 s
     * @param keyShown        answers or log lines that showed a key
     * @param stackTraces     stack-trace lines in the gateway's log
     * @param seconds         how long the run took
     */
    public record Report(
            long seed,
            int requests,
            Map<String, Integer> byKind,
            Map<Integer, Integer> byStatus,
            int serverErrors,
            int hangs,
            int keyShown,
            int stackTraces,
            double seconds,
            List<String> examples) {

        public boolean clean() {
            return serverErrors == 0 && hangs == 0 && keyShown == 0 && stackTraces == 0;
        }

        public String summary() {
            return requests + " bad requests (seed " + seed + ") in " + String.format("%.1f", seconds) + " s: "
                    + serverErrors + " × 5xx, " + hangs + " hangs, " + keyShown + " key shown, " + stackTraces
                    + " stack-trace lines in the log; statuses " + byStatus + " (0 = closed without an answer); "
                    + "kinds " + byKind + (examples.isEmpty() ? "" : "; first problems: " + examples);
        }
    }

    public static Report run(GatewayLauncher launcher, Path work, long seed, int requests) throws Exception {
        Files.createDirectories(work);
        try (FaultyUpstream upstream = new FaultyUpstream()) {
            upstream.on("fuzz", Answers.ok("fuzz"));
            Path config = work.resolve("fuzz-config.yaml");
            Files.writeString(
                    config,
                    "model_list:\n  - model_name: fuzz\n    litellm_params:\n      model: anthropic/fuzz-model\n"
                            + "      api_base: " + upstream.base("fuzz") + "\n      api_key: os.environ/FAULT_KEY\n"
                            + "general_settings:\n  master_key: os.environ/FUZZ_GATEWAY_KEY\n");
            Map<String, Integer> byKind = new ConcurrentHashMap<>();
            Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
            AtomicInteger serverErrors = new AtomicInteger();
            AtomicInteger hangs = new AtomicInteger();
            AtomicInteger keyShown = new AtomicInteger();
            List<String> examples = Collections.synchronizedList(new ArrayList<>());
            long started = System.nanoTime();
            try (GatewayLauncher.RunningGateway gateway =
                    launcher.launch(config, Map.of("FAULT_KEY", FaultSuite.KEY, "FUZZ_GATEWAY_KEY", GATEWAY_KEY))) {
                URI base = URI.create(gateway.baseUrl());
                BadRequests generator = new BadRequests(seed, GATEWAY_KEY);
                List<BadRequest> all = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    all.add(generator.next());
                }
                try (ExecutorService pool =
                        Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
                    List<Future<?>> sent = new ArrayList<>();
                    for (BadRequest request : all) {
                        sent.add(pool.submit(() -> {
                            byKind.merge(request.kind(), 1, Integer::sum);
                            Answer answer = send(base, request);
                            byStatus.merge(answer.status(), 1, Integer::sum);
                            String problem = null;
                            if (answer.hung()) {
                                hangs.incrementAndGet();
                                problem = "hang";
                            } else if (answer.status() >= 500) {
                                serverErrors.incrementAndGet();
                                problem = "HTTP " + answer.status();
                            }
                            if (answer.text().contains(FaultSuite.KEY)
                                    || answer.text().contains(GATEWAY_KEY)) {
                                keyShown.incrementAndGet();
                                problem = "key shown";
                            }
                            if (problem != null && examples.size() < 5) {
                                examples.add(request.kind() + ": " + problem + ": "
                                        + answer.text()
                                                .substring(
                                                        0,
                                                        Math.min(
                                                                200,
                                                                answer.text().length())));
                            }
                            return null;
                        }));
                    }
                    for (Future<?> future : sent) {
                        future.get();
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String log = readLogs(work);
            if (log.contains(FaultSuite.KEY) || log.contains(GATEWAY_KEY)) {
                keyShown.incrementAndGet();
            }
            int stackTraces =
                    (int) log.lines().filter(l -> l.startsWith("\tat ")).count();
            return new Report(
                    seed,
                    requests,
                    new TreeMap<>(byKind),
                    new TreeMap<>(byStatus),
                    serverErrors.get(),
                    hangs.get(),
                    keyShown.get(),
                    stackTraces,
                    seconds,
                    List.copyOf(examples));
        }
    }

    private record Answer(int status, String text, boolean hung) {}

    private static Answer send(URI base, BadRequest request) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) HANG.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.head());
            if (request.slow()) {
                // A sender that dribbles: the first bytes one by one, the rest at once.
                int dribble = Math.min(30, request.body().length);
                for (int i = 0; i < dribble; i++) {
                    out.write(request.body()[i]);
                    out.flush();
                    Thread.sleep(5);
                }
                out.write(request.body(), dribble, request.body().length - dribble);
            } else {
                out.write(request.body());
            }
            out.flush();
            if (request.shortBody()) {
                socket.shutdownOutput(); // fewer bytes than content-length announced, then nothing more
            }
            String text = readAnswer(socket.getInputStream());
            return new Answer(status(text), text, false);
        } catch (SocketTimeoutException e) {
            return new Answer(-1, "", true);
        } catch (IOException e) {
            // The gateway closed or reset the connection: no answer, but no hang and no 5xx either.
            return new Answer(0, "", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", false);
        }
    }

    /**
     * Reads one answer as an HTTP client does: the head, then as many bytes as its content-length says. Waiting
     * for the connection to close instead would measure Helidon's own lingering (helidon-io/helidon#12324: a
     * {@code Connection: close} answer leaves the socket open until the client closes it or the read timeout).
     */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return head.toString(StandardCharsets.UTF_8);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headText);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
        return headText + new String(body, StandardCharsets.UTF_8);
    }

    private static int status(String text) {
        if (!text.startsWith("HTTP/1.")) {
            return 0;
        }
        try {
            return Integer.parseInt(text.substring(9, 12));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String readLogs(Path work) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(work)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }
}
