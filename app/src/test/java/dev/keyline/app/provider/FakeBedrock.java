package dev.keyline.app.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyline.ports.testing.AwsEventStreamFrames;
import dev.keyline.ports.testing.JsonReplies;
import dev.keyline.ports.testing.SigV4Check;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A Bedrock runtime (and an STS) on loopback that checks what AWS would: every call SigV4-signed by a key it knows
 * ({@link SigV4Check}, its own code), the session token of temporary keys, the InvokeModel body (no {@code model},
 * no {@code stream}, Bedrock's {@code anthropic_version}). It answers Anthropic JSON, or AWS's binary event stream
 * framed with its own CRCs, and records every call.
 */
final class FakeBedrock implements AutoCloseable {

    static final String TEMPORARY_KEY_ID = "ASIATEMPORARYKEY0001";
    static final String TEMPORARY_SECRET = "temporary-secret-from-sts";
    static final String SESSION_TOKEN = "session-token-from-sts";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call the fake received, and what it made of it. */
    record Call(
            String path,
            String signedBy,
            String region,
            String service,
            Optional<String> sessionToken,
            Optional<String> bearer,
            JsonNode body) {}

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> bedrockApiKeys = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    /** What the model behind the fake answers a request with: Anthropic's JSON answer. */
    private final UnaryOperator<JsonNode> model;

    FakeBedrock(Map<String, String> knownKeys) throws IOException {
        this(knownKeys, ScriptedClaude::answer, 0);
    }

    /**
     * @param model what the model answers (the scripted one, or the demo's simulated model for a real client)
     * @param port  the port to listen on, 0 for any free one
     */
    FakeBedrock(Map<String, String> knownKeys, UnaryOperator<JsonNode> model, int port) throws IOException {
        this.model = model;
        secrets.putAll(knownKeys);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/model/", this::model);
        server.createContext("/sts", this::sts);
        server.start();
    }

    void acceptApiKey(String key) {
        bedrockApiKeys.put(key, key);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Optional<Call> verified(HttpExchange exchange, byte[] body) {
        String rawPath = exchange.getRequestURI().getRawPath();
        String authorization = exchange.getRequestHeaders().getFirst("authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            String key = authorization.substring(7);
            return bedrockApiKeys.containsKey(key)
                    ? Optional.of(new Call(rawPath, "", "", "", Optional.empty(), Optional.of(key), read(body)))
                    : Optional.empty();
        }
        Optional<SigV4Check.Signed> signed =
                SigV4Check.verify("POST", rawPath, exchange.getRequestHeaders(), body, secrets);
        if (signed.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> token =
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("x-amz-security-token"));
        // Temporary keys are valid only with their session token, as at AWS.
        if (signed.get().accessKeyId().startsWith("ASIA") != token.isPresent()
                || token.isPresent() && !token.get().equals(SESSION_TOKEN)) {
            return Optional.empty();
        }
        return Optional.of(new Call(
                rawPath,
                signed.get().accessKeyId(),
                signed.get().region(),
                signed.get().service(),
                token,
                Optional.empty(),
                read(body)));
    }

    private void model(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Optional<Call> call = verified(exchange, body);
        if (call.isEmpty()) {
            refused.add(exchange.getRequestURI().getRawPath());
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "UnrecognizedClientException:http://internal/");
            JsonReplies.send(exchange, 403, "{\"message\":\"The security token included in the request is invalid.\"}");
            return;
        }
        calls.add(call.get());
        JsonNode request = call.get().body();
        String path = call.get().path();
        if (path.endsWith("/count-tokens")) {
            JsonReplies.send(exchange, 200, "{\"inputTokens\":42}");
            return;
        }
        if (request.has("model")
                || request.has("stream")
                || !request.path("anthropic_version").asText().equals("bedrock-2023-05-31")) {
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "ValidationException:http://internal/");
            JsonReplies.send(
                    exchange, 400, "{\"message\":\"Malformed input request: extraneous key is not permitted\"}");
            return;
        }
        ObjectNode answer = (ObjectNode) model.apply(request);
        if (path.endsWith("/invoke")) {
            JsonReplies.send(exchange, 200, answer.toString());
        } else {
            exchange.getResponseHeaders().add("content-type", "application/vnd.amazon.eventstream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String event : ScriptedClaude.events(answer)) {
                    out.write(AwsEventStreamFrames.chunk(event));
                    out.flush();
                }
            }
        }
    }

    /** STS AssumeRole, signed by a long-lived key the fake knows; answers temporary keys that it then accepts. */
    private void sts(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Optional<Call> call = verified(exchange, body);
        String form = new String(body, StandardCharsets.UTF_8);
        if (call.isEmpty() || !call.get().service().equals("sts") || !form.contains("Action=AssumeRole")) {
            refused.add("sts");
            JsonReplies.send(exchange, 403, "{\"message\":\"denied\"}");
            return;
        }
        calls.add(new Call(
                "sts",
                call.get().signedBy(),
                call.get().region(),
                "sts",
                Optional.empty(),
                Optional.empty(),
                JSON.createObjectNode().put("form", form)));
        secrets.put(TEMPORARY_KEY_ID, TEMPORARY_SECRET);
        byte[] xml =
                ("""
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
                <AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken>
                <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>
                """.formatted(TEMPORARY_KEY_ID, TEMPORARY_SECRET, SESSION_TOKEN)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "text/xml");
        exchange.sendResponseHeaders(200, xml.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(xml);
        }
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
