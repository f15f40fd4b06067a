package dev.keyline.conformance.kit;

import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * Judges {@code error-shape} on the chat completions door: bad input and upstream failures answered with fitting
 * statuses (the same as on the Messages door) in OpenAI's error object, {@code {"error": {"message", "type"}}},
 * which is what the OpenAI SDKs read.
 */
final class ChatErrorKit {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ChatClient client;
    private final FakeUpstreams fakes;
    private final GatewayProfile profile;

    ChatErrorKit(ChatClient client, FakeUpstreams fakes, GatewayProfile profile) {
        this.client = client;
        this.fakes = fakes;
        this.profile = profile;
    }

    PropertyJudge.Verdict judge(long seed, int cases) {
        String id = ErrorKit.ErrorProperty.ERROR_SHAPE.id;
        for (ErrorCase covered : ErrorCase.coverage(profile.can(Capability.DEPLOYMENT_TIMEOUTS))) {
            Optional<String> violation = check(covered);
            if (violation.isPresent()) {
                return new PropertyJudge.Verdict(
                        id, false, "falsified by the case every run judges {" + covered + "}: " + violation.get());
            }
        }
        try {
            qt().withFixedSeed(seed)
                    .withExamples(cases)
                    .withShrinkCycles(20)
                    .forAll(ErrorCase.all(fakes.groupNames().contains(FakeUpstreams.SHARED)))
                    .checkAssert(errorCase -> {
                        Optional<String> violation = check(errorCase);
                        if (violation.isPresent()) {
                            throw new AssertionError(violation.get());
                        }
                    });
            return new PropertyJudge.Verdict(id, true, "");
        } catch (AssertionError e) {
            return new PropertyJudge.Verdict(id, false, PropertyJudge.summary(e.getMessage()));
        }
    }

    private Optional<String> check(ErrorCase errorCase) {
        if (errorCase.kind() == ErrorCase.Kind.UNKNOWN_MODEL && !profile.can(Capability.MODEL_REGISTRY)) {
            return Optional.empty();
        }
        HttpResponse<String> response;
        try {
            response = client.send(errorCase.group(), errorCase.chatBody());
        } catch (UncheckedIOException e) {
            return Optional.of("the gateway closed the connection without an answer");
        }
        if (!errorCase.accepts(response.statusCode())) {
            return Optional.of("HTTP " + response.statusCode() + ", expected " + errorCase.expected());
        }
        return notAnOpenAiError(response.body());
    }

    static Optional<String> notAnOpenAiError(String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            return Optional.of("not JSON: " + body);
        }
        return root.path("error").path("message").isTextual()
                        && root.path("error").path("type").isTextual()
                ? Optional.empty()
                : Optional.of("not an OpenAI error object: " + body);
    }
}
