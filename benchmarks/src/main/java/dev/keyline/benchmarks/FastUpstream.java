package dev.keyline.benchmarks;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An Anthropic-compatible upstream that answers as fast as it can: a fixed message, or a fixed stream of
 * {@code events} text deltas (optionally one every {@code gapMillis}), chosen by the request's {@code stream} flag
 * and {@code metadata.user_id} ("events:N:gapMillis"); "loop:hopMillis" plays a model that searches three
 * things, then answers; "hops:N" one that searches one thing per turn until its N-th turn, then answers (at once,
 * searches included). It never parses JSON beyond finding those markers.
 */
final class FastUpstream implements AutoCloseable {

    static final long[] SEARCH_MILLIS = {30, 60, 90};

    static final byte[] MESSAGE =
            ("{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench\","
                            + "\"content\":[{\"type\":\"text\",\"text\":\"Hello from the fast upstream.\"}],\"stop_reason\":\"end_turn\","
                            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,"
                            + "\"cache_read_input_tokens\":0,\"output_tokens\":8}}")
                    .getBytes(StandardCharsets.UTF_8);

    /** A model turn that asks for three searches at once: q0, q1 and q2 take 30, 60 and 90 ms. */
    static final byte[] SEARCHING = searching("q");
    /** The same turn whose searches answer at once, to warm a gateway's loop code up. */
    static final byte[] SEARCHING_FAST = searching("fast");
    /** A turn that asks for one search, answered at once. */
    static final byte[] SEARCHING_ONE =
            ("{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench\","
                            + "\"content\":[" + search(0, "fast")
                            + "],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                            + "\"usage\":{\"input_tokens\":12,\"output_tokens\":8}}")
                    .getBytes(StandardCharsets.UTF_8);

    private final WebServer server;

    /** How long each of a turn's parallel searches ("p" queries) takes. */
    static final long PARALLEL_SEARCH_MILLIS = 20;

    /** A model turn asking for {@code n} searches at once, p0 to p(n-1). */
    static byte[] parallelSearches(int n) {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < n; i++) {
            content.append(i == 0 ? "" : ",").append(search(i, "p"));
        }
        return ("{\"id\":\"msg_p\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench\",\"content\":["
                        + content + "],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":20,\"output_tokens\":10}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] searching(String queryPrefix) {
        return ("{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench\",\"content\":["
                        + search(0, queryPrefix) + "," + search(1, queryPrefix) + "," + search(2, queryPrefix) + "],"
                        + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":8}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String search(int i, String queryPrefix) {
        return "{\"type\":\"tool_use\",\"id\":\"toolu_" + i + "\",\"name\":\"web_search\",\"input\":{\"query\":\""
                + queryPrefix + i + "\"}}";
    }

    FastUpstream() {
        // TCP_NODELAY as real providers' front ends have it: with Nagle on, an event written while the last one
        // is unacknowledged waits for the reader's delayed ACK (40 ms on Linux) on a kept-alive connection.
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .routing(routing -> routing.get("/search", (req, res) -> {
                            // A SearXNG-shaped engine whose latency depends on the query: q0 30 ms, q1 60 ms, q2 90 ms.
                            String query = req.query().first("q").orElse("q0");
                            if (query.startsWith("p")) {
                                Thread.sleep(PARALLEL_SEARCH_MILLIS);
                            } else if (query.startsWith("q")) {
                                Thread.sleep(
                                        SEARCH_MILLIS[Character.getNumericValue(query.charAt(query.length() - 1)) % 3]);
                            }
                            res.header(HeaderNames.CONTENT_TYPE, "application/json")
                                    .send(("{\"results\":[{\"url\":" + "\"https://bench.example/" + query
                                                    + "\",\"title\":\"r\",\"content\":\"c\"}]}")
                                            .getBytes(StandardCharsets.UTF_8));
                        })
                        .post("/v1/messages", (req, res) -> {
                            String body;
                            try (InputStream in = req.content().inputStream()) {
                                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                            }
                            int parallel = body.indexOf("par:");
                            if (parallel >= 0) {
                                // One turn asks for N searches at once (each takes 20 ms); the next answers.
                                int n = Integer.parseInt(body.substring(parallel + 4, body.indexOf('"', parallel)));
                                res.header(HeaderNames.CONTENT_TYPE, "application/json")
                                        .send(body.contains("\"tool_result\"") ? MESSAGE : parallelSearches(n));
                                return;
                            }
                            int hops = body.indexOf("hops:");
                            if (hops >= 0) {
                                // The N-th model turn answers; each earlier one asks for one more search. A follow-up
                                // carries every earlier result, so the results counted are the turns so far.
                                int turns = Integer.parseInt(body.substring(hops + 5, body.indexOf('"', hops)));
                                int results = body.split("\"tool_result\"", -1).length - 1;
                                res.header(HeaderNames.CONTENT_TYPE, "application/json")
                                        .send(results + 1 >= turns ? MESSAGE : SEARCHING_ONE);
                                return;
                            }
                            int loop = body.indexOf("loop:");
                            if (loop >= 0) {
                                // "loop:<hop millis>" or "loop:warm" (no waits anywhere)
                                String hop = body.substring(loop + 5, body.indexOf('"', loop));
                                boolean warm = hop.equals("warm");
                                if (!warm) {
                                    Thread.sleep(Long.parseLong(hop));
                                }
                                res.header(HeaderNames.CONTENT_TYPE, "application/json")
                                        .send(
                                                body.contains("tool_result")
                                                        ? MESSAGE
                                                        : warm ? SEARCHING_FAST : SEARCHING);
                                return;
                            }
                            if (!body.contains("\"stream\":true")) {
                                res.header(HeaderNames.CONTENT_TYPE, "application/json")
                                        .send(MESSAGE);
                                return;
                            }
                            int events = 1000;
                            long gap = 0;
                            int marker = body.indexOf("events:");
                            if (marker >= 0) {
                                String[] parts = body.substring(marker, body.indexOf('"', marker))
                                        .split(":");
                                events = Integer.parseInt(parts[1]);
                                gap = Long.parseLong(parts[2]);
                            }
                            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                            try (OutputStream out = res.outputStream()) {
                                write(
                                        out,
                                        "message_start",
                                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\","
                                                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench\",\"content\":[],"
                                                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
                                write(
                                        out,
                                        "content_block_start",
                                        "{\"type\":\"content_block_start\",\"index\":0,"
                                                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
                                for (int i = 0; i < events; i++) {
                                    write(
                                            out,
                                            "content_block_delta",
                                            "{\"type\":\"content_block_delta\",\"index\":0,"
                                                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"token \"}}");
                                    if (gap > 0) {
                                        Thread.sleep(gap);
                                    }
                                }
                                write(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
                                write(
                                        out,
                                        "message_delta",
                                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                                                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + events
                                                + "}}");
                                write(out, "message_stop", "{\"type\":\"message_stop\"}");
                            } catch (IOException | RuntimeException | InterruptedException e) {
                                // The client went away (streams held open by the memory scenario are closed by the
                                // harness).
                            }
                        }))
                .build()
                .start();
    }

    private static void write(OutputStream out, String type, String data) throws IOException {
        out.write(("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
