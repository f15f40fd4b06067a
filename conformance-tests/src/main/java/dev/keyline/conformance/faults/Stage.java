package dev.keyline.conformance.faults;

import dev.keyline.conformance.faults.FaultScenario.Tempo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What a scenario plays with: the gateway (as a client sees it), the faulty upstream, and the run's tempo. */
final class Stage {

    /** Longer than any fault should hold a client: a reply slower than this is a hang. */
    static final Duration CLIENT_PATIENCE = Duration.ofSeconds(120);

    private final HttpClient http;
    private final String gateway;
    private final FaultyUpstream upstream;
    private final Tempo tempo;
    private final Door door;
    private final StringBuilder seen = new StringBuilder();

    Stage(HttpClient http, String gateway, FaultyUpstream upstream, Tempo tempo, Door door) {
        this.http = http;
        this.gateway = gateway;
        this.upstream = upstream;
        this.tempo = tempo;
        this.door = door;
    }

    Door door() {
        return door;
    }

    FaultyUpstream upstream() {
        return upstream;
    }

    Tempo tempo() {
        return tempo;
    }

    ClientReply call(String model, boolean stream) throws InterruptedException {
        return send(door.body(model, stream, ""));
    }

    /** A request that offers web search: Anthropic's web_search server tool, or chat's web_search_options. */
    ClientReply callWithSearch(String model, boolean stream) throws InterruptedException {
        return send(door.body(model, stream, door.webSearch()));
    }

    ClientReply send(String body) throws InterruptedException {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request(body), HttpResponse.BodyHandlers.ofString());
            boolean stream =
                    response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
            seen.append(response.headers().map()).append(response.body());
            return new ClientReply(response.statusCode(), response.body(), stream, millisSince(started), door);
        } catch (HttpTimeoutException e) {
            return ClientReply.noAnswer(millisSince(started), door);
        } catch (IOException e) {
            return new ClientReply(
                    0, "connection failed: " + e.getClass().getSimpleName(), false, millisSince(started), door);
        }
    }

    /**
     * Opens a stream, reads {@code events} events and leaves.
     *
     * @return when the client left (nanoTime), or -1 when the stream did not get that far
     */
    long leaveAfter(String model, int events) throws InterruptedException, IOException {
        HttpResponse<InputStream> response =
                http.send(request(door.body(model, true, "")), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            int seen = 0;
            int previous = -1;
            while (seen < events) {
                int b = in.read();
                if (b < 0) {
                    return -1;
                }
                if (b == '\n' && previous == '\n') {
                    seen++;
                }
                previous = b;
            }
            return System.nanoTime();
        }
    }

    /** @return whether any answer since the last call showed {@code key}, headers included */
    boolean sawKey(String key) {
        boolean saw = seen.indexOf(key) >= 0;
        seen.setLength(0);
        return saw;
    }

    String cooldowns() throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(gateway + "/cooldowns"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        }
    }

    private HttpRequest request(String body) {
        return HttpRequest.newBuilder(URI.create(gateway + door.path))
                .timeout(CLIENT_PATIENCE)
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
