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
import java.util.List;
import java.util.Optional;

/** Sends a case to the gateway under test and gathers what the fakes saw of it. */
final class GatewayClient implements CaseObserver {

    static final String VERSION = "2023-06-01";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;
    private final FakeUpstreams fakes;
    /** What the gateway says it is, from the first answer that says so; empty until then. */
    private volatile String version = "";

    private final GatewayProfile profile;
    private final HttpClient http = http11();

    /**
     * @return a client speaking HTTP/1.1 like the Anthropic SDKs: the JDK's default h2c upgrade headers are not what
     *         gateways see in use
     */
    static HttpClient http11() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    GatewayClient(String baseUrl, FakeUpstreams fakes, GatewayProfile profile) {
        this.baseUrl = baseUrl;
        this.fakes = fakes;
        this.profile = profile;
    }

    @Override
    public GatewayProfile profile() {
        return profile;
    }

    /** Observes a case; a streamed case is also sent once unstreamed, as its twin. */
    @Override
    public Observation observe(KitCase generated) {
        KitCase kitCase = generated.withNewId();
        Observation o = observeOnce(kitCase, kitCase.body(profile.webSearch()));
        KitCase unstreamed = kitCase.unstreamedTwin();
        Optional<Observation> twin = kitCase.stream()
                ? Optional.of(observeOnce(unstreamed, unstreamed.body(profile.webSearch())))
                : Optional.empty();
        Optional<Observation> next = Optional.empty();
        if (o.status() == 200 && o.answer().path("content").toString().contains("\"server_tool_use\"")) {
            KitCase nextCase = kitCase.unstreamedTwin();
            next = Optional.of(observeOnce(nextCase, kitCase.nextTurnBody(o.answer(), nextCase.id())));
        }
        return o.with(twin, next);
    }

    private Observation observeOnce(KitCase kitCase, String body) {
        GatewayProfile.Addressed addressed = profile.address(fakes, kitCase.group(), body);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(baseUrl + addressed.prefix() + "/v1/messages?beta=true"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("x-api-key", FakeUpstreams.GATEWAY_KEY)
                .header("anthropic-version", VERSION)
                .POST(HttpRequest.BodyPublishers.ofString(addressed.body()));
        if (!kitCase.betas().isEmpty()) {
            request.header("anthropic-beta", kitCase.betas());
        }
        addressed.headers().forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (version.isEmpty()) {
                version = versionOf(response);
            }
            JsonNode answer = answer(kitCase, response);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The answer as a client reads it; a body that is neither a message nor an event stream is kept as text. */
    private static JsonNode answer(KitCase kitCase, HttpResponse<String> response) {
        try {
            return kitCase.stream() && response.statusCode() == 200
                    ? MessageStreams.fold(response.body())
                    : MAPPER.readTree(response.body());
        } catch (IOException | RuntimeException e) {
            return MAPPER.createObjectNode().put("type", "unreadable").put("body", response.body());
        }
    }

    /** @return the gateway's version as its answers state it (Keyline's or LiteLLM's header, else Server), or empty */
    String version() {
        return version;
    }

    private static String versionOf(HttpResponse<String> response) {
        for (String header : List.of("x-keyline-version", "x-litellm-version", "server")) {
            Optional<String> value = response.headers().firstValue(header);
            if (value.isPresent() && !value.get().isBlank()) {
                return header.equals("server") ? value.get() : header + ": " + value.get();
            }
        }
        return "";
    }
}
