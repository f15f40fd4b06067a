package dev.keyline.app.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vertex AI on loopback, with its own token endpoint: the endpoint mints an access token only for a JWT-bearer
 * assertion signed (RS256) by the one service account it knows, checked with that account's public key; the
 * rawPredict endpoints answer only a token it minted, and check the body Vertex takes.
 */
final class FakeVertex implements AutoCloseable {

    static final String ACCOUNT = "keyline@keyline-test.iam.gserviceaccount.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One model call: the path, the token it carried, the body. */
    record Call(String path, String token, JsonNode body) {}

    private final HttpServer server;
    private final KeyPair account;
    private final Map<String, String> minted = new ConcurrentHashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    FakeVertex() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        account = generator.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v1/", this::predict);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int tokensMinted() {
        return tokens.get();
    }

    /** @return the service account key file for the account this fake knows, its token_uri pointed here */
    String accountKey() {
        return accountKey(account);
    }

    /** @return a key file of another account, which this fake's token endpoint does not know */
    String strangerKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return accountKey(generator.generateKeyPair());
    }

    private String accountKey(KeyPair pair) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode key = JSON.createObjectNode()
                .put("type", "service_account")
                .put("project_id", "keyline-test")
                .put("private_key_id", "k1")
                .put("private_key", pem)
                .put("client_email", ACCOUNT)
                .put("client_id", "1")
                .put("token_uri", base() + "/token");
        return key.toString();
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String assertion = "";
        for (String pair : form.split("&")) {
            if (pair.startsWith("assertion=")) {
                assertion = URLDecoder.decode(pair.substring(10), StandardCharsets.UTF_8);
            }
        }
        if (!form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer") || !valid(assertion)) {
            refused.add("token");
            json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
            return;
        }
        String token = "ya29.fake-" + tokens.incrementAndGet();
        minted.put(token, ACCOUNT);
        json(exchange, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    /** RS256 with the account's public key; issued by the account, for Google's token audience and Vertex's scope. */
    private boolean valid(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(account.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims.path("iss").asText().equals(ACCOUNT)
                    // Google's audience for a JWT-bearer grant is its token URL, wherever the grant is posted.
                    && claims.path("aud").asText().equals("https://oauth2.googleapis.com/token")
                    && claims.path("scope").asText().contains("https://www.googleapis.com/auth/cloud-platform");
        } catch (Exception e) {
            return false;
        }
    }

    private void predict(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("authorization"));
        String token = authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!minted.containsKey(token)) {
            refused.add(path);
            json(
                    exchange,
                    401,
                    "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication"
                            + " credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
            return;
        }
        calls.add(new Call(path, token, body));
        if (path.endsWith("/count-tokens:rawPredict")) {
            json(exchange, 200, "{\"input_tokens\":37}");
            return;
        }
        if (body.has("model") || !body.path("anthropic_version").asText().equals("vertex-2023-10-16")) {
            json(exchange, 400, "{\"error\":{\"code\":400,\"message\":\"bad body\",\"status\":\"INVALID_ARGUMENT\"}}");
            return;
        }
        ObjectNode answer = ScriptedClaude.answer(body);
        if (path.endsWith(":rawPredict")) {
            json(exchange, 200, answer.toString());
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

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
