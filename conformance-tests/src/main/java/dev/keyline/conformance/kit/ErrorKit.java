package dev.keyline.conformance.kit;

import static org.quicktheories.QuickTheory.qt;

import java.net.http.HttpResponse;
import java.util.Optional;

/** Judges {@code error-shape} and {@code no-cooldown-cascade} over generated failing requests. */
final class ErrorKit {

    /** The two properties judged here. */
    enum ErrorProperty {
        ERROR_SHAPE(
                "error-shape", "bad input and upstream failures give Anthropic-shaped errors with fitting statuses"),
        NO_COOLDOWN_CASCADE(
                "no-cooldown-cascade",
                "after a failure, the next ordinary request is served, never answered with a gateway-made 429");

        final String id;
        final String title;

        ErrorProperty(String id, String title) {
            this.id = id;
            this.title = title;
        }
    }

    private final FakeUpstreams fakes;
    private final GatewayProfile profile;
    private final GatewayPost post;

    ErrorKit(String baseUrl, FakeUpstreams fakes, GatewayProfile profile) {
        this.post = new GatewayPost(baseUrl);
        this.fakes = fakes;
        this.profile = profile;
    }

    PropertyJudge.Verdict judge(ErrorProperty property, long seed, int cases) {
        for (ErrorCase covered : ErrorCase.coverage(profile.can(Capability.DEPLOYMENT_TIMEOUTS))) {
            Optional<String> violation = check(property, covered);
            if (violation.isPresent()) {
                return new PropertyJudge.Verdict(
                        property.id,
                        false,
                        "falsified by the case every run judges {" + covered + "}: " + violation.get());
            }
        }
        try {
            qt().withFixedSeed(seed)
                    .withExamples(cases)
                    .withShrinkCycles(20)
                    .forAll(ErrorCase.all(fakes.groupNames().contains(FakeUpstreams.SHARED)))
                    .checkAssert(errorCase -> {
                        Optional<String> violation = check(property, errorCase);
                        if (violation.isPresent()) {
                            throw new AssertionError(violation.get());
                        }
                    });
            return new PropertyJudge.Verdict(property.id, true, "");
        } catch (AssertionError e) {
            return new PropertyJudge.Verdict(property.id, false, PropertyJudge.summary(e.getMessage()));
        }
    }

    private Optional<String> check(ErrorProperty property, ErrorCase errorCase) {
        return switch (property) {
            case ERROR_SHAPE -> errorShape(errorCase);
            case NO_COOLDOWN_CASCADE -> noCascade(errorCase);
        };
    }

    private Optional<String> errorShape(ErrorCase errorCase) {
        if (errorCase.kind() == ErrorCase.Kind.UNKNOWN_MODEL && !profile.can(Capability.MODEL_REGISTRY)) {
            return Optional.empty();
        }
        Optional<HttpResponse<String>> answered = send(errorCase.body(), errorCase.group());
        if (answered.isEmpty()) {
            return Optional.of("the gateway closed the connection without an answer");
        }
        HttpResponse<String> response = answered.get();
        if (!errorCase.accepts(response.statusCode())) {
            return Optional.of("HTTP " + response.statusCode() + ", expected " + errorCase.expected());
        }
        return GatewayPost.notAnAnthropicError(response.body());
    }

    /** Judged on the lone deployment: a group of several may rightly rest members that truly failed. */
    private Optional<String> noCascade(ErrorCase errorCase) {
        if (!errorCase.group().equals(FakeUpstreams.SOLO)) {
            return Optional.empty();
        }
        send(errorCase.body(), errorCase.group());
        Optional<HttpResponse<String>> next = send(errorCase.followingRequest(), errorCase.group());
        if (next.isEmpty()) {
            return Optional.of("after the failure, an ordinary request got no answer: the connection was closed");
        }
        if (next.get().statusCode() == 200) {
            return Optional.empty();
        }
        return Optional.of("after the failure, an ordinary request got HTTP "
                + next.get().statusCode() + ": " + next.get().body());
    }

    private Optional<HttpResponse<String>> send(String body, String group) {
        return post.send(profile.address(fakes, group, body));
    }
}
