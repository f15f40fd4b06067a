package dev.keyline.domain.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.testing.TestDeployments;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Deployments and failures for routing tests. */
final class RoutingTestData {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private RoutingTestData() {}

    static Deployment deployment(String id, RoutingHints hints) {
        return TestDeployments.deployment(id, "g", hints);
    }

    static Deployment deployment(String id) {
        return deployment(id, RoutingHints.defaults());
    }

    /** One failure of every kind a provider call can end with. */
    static List<ProviderFailure> everyKindOfFailure() {
        return List.of(
                ProviderFailure.fromHttpStatus(429, "", Optional.of(Duration.ofSeconds(7))),
                ProviderFailure.fromHttpStatus(529, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(500, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(502, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(503, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(401, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(403, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(404, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(400, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(413, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(422, "", Optional.empty()),
                new ProviderFailure.Timeout(Duration.ofSeconds(30)),
                new ProviderFailure.ConnectionFailed("refused"),
                new ProviderFailure.MalformedReply(200, "not a message"));
    }
}
