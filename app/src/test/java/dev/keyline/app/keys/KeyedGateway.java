package dev.keyline.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A client of one gateway for the key tests: the admin API with the master key, and messages with any key. */
record KeyedGateway(String base, String masterKey) {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> post(String path, String key, String body) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("x-api-key", key)
                        .header("content-type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** @return the new key's JSON, its secret in {@code key} */
    JsonNode generate(String body) throws IOException, InterruptedException {
        HttpResponse<String> reply = post("/key/generate", masterKey, body);
        if (reply.statusCode() != 200) {
            throw new AssertionError("key/generate answered " + reply.statusCode() + ": " + reply.body());
        }
        return JSON.readTree(reply.body());
    }

    HttpResponse<String> messages(String key, String body) throws IOException, InterruptedException {
        return post("/v1/messages", key, body);
    }

    static JsonNode json(HttpResponse<String> reply) throws IOException {
        return JSON.readTree(reply.body());
    }
}
