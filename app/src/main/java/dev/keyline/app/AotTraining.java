package dev.keyline.app;

import dev.keyline.app.cli.DemoOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code keyline train}: the launcher's training run for the JVM's ahead-of-time cache (JDK 25,
 * {@code -XX:AOTCacheOutput}). It starts the demo gateway on a free loopback port and sends it every kind of request
 * a gateway answers — JSON, streams, web-search loops both ways, token counts, chat completions, the models, the
 * metrics, the status page, a refusal — so the classes and methods they need are in the cache, then stops. No
 * network beyond loopback, no key.
 */
final class AotTraining {

    private static final int ROUNDS = 15;

    private AotTraining() {}

    /** @return 0 when every request was answered as expected */
    static int run(PrintStream err) throws IOException, InterruptedException {
        try (Demo.Running demo = Demo.start(new DemoOptions("127.0.0.1", 0));
                HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()) {
            String base = demo.gateway().baseUrl();
            String plain = "{\"model\":\"" + Demo.MODEL + "\",\"max_tokens\":64,%s"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";
            String searching = "{\"model\":\"" + Demo.MODEL + "\",\"max_tokens\":256,%s"
                    + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":3}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"When was Java 25 released?\"}]}";
            String chat = "{\"model\":\"" + Demo.MODEL + "\",%s\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
            List<Call> calls = List.of(
                    new Call("/v1/messages", plain.formatted(""), 200),
                    new Call("/v1/messages", plain.formatted("\"stream\":true,"), 200),
                    new Call("/v1/messages", searching.formatted(""), 200),
                    new Call("/v1/messages", searching.formatted("\"stream\":true,"), 200),
                    new Call("/v1/messages/count_tokens", plain.formatted(""), 200),
                    new Call("/v1/chat/completions", chat.formatted(""), 200),
                    new Call("/v1/chat/completions", chat.formatted("\"stream\":true,"), 200),
                    new Call(
                            "/v1/messages",
                            "{\"model\":\"not-served\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                            404),
                    new Call("/v1/messages", "{not json", 400),
                    new Call("/v1/models", null, 200),
                    new Call("/metrics", null, 200),
                    new Call("/ui", null, 200),
                    new Call("/health/readiness", null, 200));
            for (int round = 0; round < ROUNDS; round++) {
                for (Call call : calls) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.path()))
                            .timeout(Duration.ofSeconds(30))
                            .header("anthropic-version", "2023-06-01")
                            .header("x-api-key", demo.masterKey());
                    if (call.body() != null) {
                        request.header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(call.body()));
                    }
                    HttpResponse<InputStream> response =
                            http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream body = response.body()) {
                        body.transferTo(OutputStream.nullOutputStream());
                    }
                    if (response.statusCode() != call.status()) {
                        err.println("keyline train: " + call.path() + " answered " + response.statusCode() + ", not "
                                + call.status());
                        return 1;
                    }
                }
            }
            return 0;
        }
    }

    private record Call(String path, String body, int status) {}
}
