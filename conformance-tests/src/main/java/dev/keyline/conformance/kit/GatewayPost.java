package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The requests the kit's failure judges ({@link ErrorKit}, {@link LoopFaultKit}) send to the gateway under test, and
 * how they read an error answer. A gateway that drops the connection is a finding for them, not a crash of the kit.
 */
final class GatewayPost {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = GatewayClient.http11();

    GatewayPost(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * @param addressed the request, addressed to its group as the gateway wants it
     * @return the gateway's answer, or empty when it closed the connection without one
     */
    Optional<HttpResponse<String>> send(GatewayProfile.Addressed addressed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + addressed.prefix() + "/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("x-api-key", FakeUpstreams.GATEWAY_KEY)
                .header("anthropic-version", GatewayClient.VERSION)
                .POST(HttpRequest.BodyPublishers.ofString(addressed.body()));
        addressed.headers().forEach(request::header);
        try {
            return Optional.of(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return an ordinary request to {@code group}, scripted to succeed, journaled under {@code id} */
    static String ordinaryRequest(String group, String id) {
        String marker = "kit:0:0:" + id + "-next";
        return "{\"model\":\"" + group + "\",\"max_tokens\":8,\"metadata\":{\"user_id\":\"" + marker
                + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"" + KitScript.tagged("x", marker) + "\"}]}";
    }

    /** @return why {@code body} is not an Anthropic error ({@code {"type":"error","error":{type,message}}}), if it is not */
    static Optional<String> notAnAnthropicError(String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            return Optional.of("not JSON: " + body);
        }
        return root.path("type").asText().equals("error")
                        && root.path("error").path("type").isTextual()
                        && root.path("error").path("message").isTextual()
                ? Optional.empty()
                : Optional.of("not an Anthropic error: " + body);
    }
}
