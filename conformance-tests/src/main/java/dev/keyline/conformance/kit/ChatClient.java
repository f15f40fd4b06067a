package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The kit as an OpenAI client sees the gateway: cases asked on {@code /v1/chat/completions} with the gateway key as
 * Bearer, answers read as the OpenAI SDK reads them ({@link ChatAnswers}), hops gathered from the same fakes.
 */
final class ChatClient implements CaseObserver {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;
    private final FakeUpstreams fakes;
    private final GatewayProfile profile;
    private final HttpClient http = GatewayClient.http11();

    ChatClient(String baseUrl, FakeUpstreams fakes, GatewayProfile profile) {
        this.baseUrl = baseUrl;
        this.fakes = fakes;
        this.profile = profile;
    }

    @Override
    public GatewayProfile profile() {
        return profile;
    }

    @Override
    public KitCase shape(KitCase generated) {
        return generated.forChat();
    }

    /** Observes a case; a streamed case is also sent once unstreamed, as its twin. */
    @Override
    public Observation observe(KitCase generated) {
        KitCase kitCase = shape(generated).withNewId();
        Observation o = observeOnce(kitCase);
        Optional<Observation> twin =
                kitCase.stream() ? Optional.of(observeOnce(kitCase.unstreamedTwin())) : Optional.empty();
        return o.with(twin, Optional.empty());
    }

    private Observation observeOnce(KitCase kitCase) {
        HttpResponse<String> response = send(kitCase.group(), kitCase.chatBody(profile.webSearch()));
        JsonNode answer;
        try {
            answer = response.statusCode() != 200
                    ? MAPPER.readTree(response.body())
                    : kitCase.stream() ? ChatAnswers.fold(response.body()) : ChatAnswers.read(response.body());
        } catch (IOException | RuntimeException e) {
            answer = MAPPER.createObjectNode().put("type", "unreadable").put("body", response.body());
        }
        return new Observation(
                kitCase,
                response.statusCode(),
                answer,
                Journal.hops(fakes, kitCase),
                Journal.searches(fakes, kitCase),
                Journal.decoyHits(fakes, kitCase),
                Optional.empty(),
                Optional.empty(),
                profile.webSearch());
    }

    /** @return the gateway's answer to a chat completions body addressed to {@code group} */
    HttpResponse<String> send(String group, String body) {
        GatewayProfile.Addressed addressed = profile.address(fakes, group, body);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(baseUrl + addressed.chatPrefix() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + FakeUpstreams.GATEWAY_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(addressed.body()));
        addressed.headers().forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
