package dev.keyline.app.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyline.ports.testing.FakeGoogleTokenEndpoint;
import dev.keyline.ports.testing.JsonReplies;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Vertex AI on loopback, with its own token endpoint ({@link FakeGoogleTokenEndpoint}: tokens only for the one
 * service account it knows, its RS256 assertion checked with the account's public key); the rawPredict endpoints
 * answer only a token it minted, and check the body Vertex takes.
 */
final class FakeVertex implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One model call: the path, the token it carried, the body. */
    record Call(String path, String token, JsonNode body) {}

    private final HttpServer server;
    private final FakeGoogleTokenEndpoint tokens;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    /** What the model behind the fake answers a request with: Anthropic's JSON answer. */
    private final UnaryOperator<JsonNode> model;

    FakeVertex() throws IOException {
        this(ScriptedClaude::answer);
    }

    /** @param model what the model answers (the scripted one, or the demo's simulated model for a real client) */
    FakeVertex(UnaryOperator<JsonNode> model) throws IOException {
        this.model = model;
        tokens = new FakeGoogleTokenEndpoint();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::predict);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeGoogleTokenEndpoint tokens() {
        return tokens;
    }

    private void predict(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("authorization"));
        String token = authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!tokens.minted(token)) {
            refused.add(path);
            JsonReplies.send(
                    exchange,
                    401,
                    "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication"
                            + " credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
            return;
        }
        calls.add(new Call(path, token, body));
        if (path.endsWith("/count-tokens:rawPredict")) {
            JsonReplies.send(exchange, 200, "{\"input_tokens\":37}");
            return;
        }
        if (body.has("model") || !body.path("anthropic_version").asText().equals("vertex-2023-10-16")) {
            JsonReplies.send(
                    exchange,
                    400,
                    "{\"error\":{\"code\":400,\"message\":\"bad body\",\"status\":\"INVALID_ARGUMENT\"}}");
            return;
        }
        ObjectNode answer = (ObjectNode) model.apply(body);
        if (path.endsWith(":rawPredict")) {
            JsonReplies.send(exchange, 200, answer.toString());
            return;
        }
        exchange.getResponseHeaders().add("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String event : ScriptedClaude.events(answer)) {
                String type = JSON.readTree(event).path("type").asText();
                out.write(("event: " + type + "\ndata: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        tokens.close();
    }
}
