package dev.keyline.app.provider;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.ports.testing.JsonReplies;
import java.io.IOException;
import java.net.InetSocketAddress;
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
            JsonReplies.send(
                    exchange,
                    200,
                    "{\"results\":[{\"url\":\"" + URL + "\",\"title\":\"JDK 25\",\"content\":\"" + ScriptedClaude.QUOTE
                            + " as a long-term support release.\"}]}");
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
