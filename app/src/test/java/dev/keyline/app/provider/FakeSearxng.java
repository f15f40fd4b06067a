package dev.keyline.app.provider;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A SearXNG on loopback that finds one page, whose text the scripted model then quotes. */
final class FakeSearxng implements AutoCloseable {

    static final String URL = "https://openjdk.example/projects/jdk/25";

    private final HttpServer server;
    final AtomicInteger searches = new AtomicInteger();

    FakeSearxng() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/search", exchange -> {
            searches.incrementAndGet();
            byte[] body = ("{\"results\":[{\"url\":\"" + URL + "\",\"title\":\"JDK 25\",\"content\":\""
                            + ScriptedClaude.QUOTE + " as a long-term support release.\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
