package dev.keyline.app.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.domain.testing.TestConditions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's nginx in front of Keyline with nginx's default proxy settings (docs/fleet.md): {@code proxy_pass} alone,
 * so HTTP/1.0 to Keyline and response buffering on. JSON, a stream whose events must reach the client one by one, and
 * a web-search loop all pass through. Skipped, saying why, where nginx is not installed ({@code ./keyline test}
 * installs Debian's nginx-light).
 */
class NginxInFrontTest {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final String KEY = "sk-nginx-upstream-1";
    /** Ten deltas dribbled out over two seconds. */
    private static final Duration DRIBBLE = Duration.ofSeconds(2);

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    static Path dir;

    private static KeylineServer keyline;
    private static Process nginx;
    private static String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), "Debian's nginx is not installed (apt-get install nginx-light)");
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEY", KEY))
                        .parse(LoopUpstream.CONFIG.formatted(upstream.baseUrl()) + """
                                litellm_settings:
                                  callbacks: [websearch_interception]
                                """, "nginx.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());
        int port = freePort();
        // Only what a stock server block has: no proxy_http_version, no proxy_buffering, no header settings.
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events {}
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://127.0.0.1:%3$d;
                        }
                    }
                }
                """.formatted(dir, port, keyline.port()));
        nginx = new ProcessBuilder(
                        NGINX.toString(),
                        "-p",
                        dir.toString(),
                        "-c",
                        dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        base = "http://127.0.0.1:" + port;
        TestConditions.await(Duration.ofSeconds(20), () -> listening(port) || !nginx.isAlive(), up -> up);
        assertTrue(nginx.isAlive(), () -> "nginx did not start: " + read(dir.resolve("nginx.out")));
    }

    /** The extension clears stubs before each test. */
    @BeforeEach
    void stub() {
        LoopUpstream.stub(upstream);
        upstream.stubFor(post(urlPathEqualTo("/a/v1/messages"))
                .atPriority(0)
                .withRequestBody(containing("dribble"))
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(dribbledStream())
                        .withChunkedDribbleDelay(12, (int) DRIBBLE.toMillis())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (keyline != null) {
            keyline.close();
        }
    }

    @Test
    void aJsonAnswer_passesThroughNginx() throws Exception {
        HttpResponse<String> response = send(LoopUpstream.STREAM_REQUEST.replace(",\"stream\":true", ""));

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"type\":\"message\""), response.body());
        assertEquals("a", response.headers().firstValue("x-keyline-deployment").orElseThrow());
    }

    @Test
    void aStreamsEvents_reachTheClientOneByOne_throughNginxsBuffering() throws Exception {
        long started = System.nanoTime();
        List<Long> arrivals = new ArrayList<>();
        List<String> events = new ArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> response =
                http.send(request("""
                        {"model":"g","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"dribble"}]}"""), HttpResponse.BodyHandlers.ofLines());
        response.body().filter(line -> line.startsWith("event: ")).forEach(line -> {
            arrivals.add(System.nanoTime() - started);
            events.add(line.substring("event: ".length()));
        });

        assertEquals(200, response.statusCode());
        assertEquals("message_start", events.getFirst(), events.toString());
        assertEquals("message_stop", events.getLast(), events.toString());
        assertEquals(15, events.size(), events.toString());
        // Held back anywhere on the way (nginx's buffers, Keyline's relay), the events would arrive together at the
        // end;
        // relayed as they come, they spread over the upstream's two seconds.
        Duration spread = Duration.ofNanos(arrivals.getLast() - arrivals.getFirst());
        assertTrue(
                spread.compareTo(DRIBBLE.dividedBy(2)) > 0,
                "the events arrived within " + spread.toMillis() + " ms of each other");
    }

    @Test
    void aWebSearchLoop_passesThroughNginx() throws Exception {
        HttpResponse<String> response = send(LoopUpstream.LOOP_REQUEST);

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"web_search_tool_result\""), response.body());
        assertTrue(response.body().contains("\"found\""), response.body());
    }

    private HttpResponse<String> send(String body) throws Exception {
        return http.send(request(body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String body) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** message_start, a text block with ten deltas, message_delta, message_stop: 15 events. */
    private static String dribbledStream() {
        StringBuilder sse = new StringBuilder();
        sse.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_d\",\"type\":"
                + "\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":0}}}\n\n");
        sse.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (int i = 0; i < 10; i++) {
            sse.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"word")
                    .append(i)
                    .append(" \"}}\n\n");
        }
        sse.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sse.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":10}}\n\n");
        sse.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return sse.toString();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
