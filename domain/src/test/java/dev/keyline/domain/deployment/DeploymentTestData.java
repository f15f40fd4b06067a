package dev.keyline.domain.deployment;

import java.time.Duration;
import java.util.Map;

/** Deployments with sensible defaults for tests. */
final class DeploymentTestData {

    private DeploymentTestData() {
    }

    static Deployment deployment(String id, String group) {
        return new Deployment(new DeploymentId(id), new ModelGroupName(group), "anthropic", "kimi-k2.5",
                Endpoint.parse("http://127.0.0.1:8101/" + id), Credentials.of("sk-" + id), AuthScheme.X_API_KEY,
                new ExtraHeaders(Map.of("X-Tenant", "t-1")), Duration.ofSeconds(30), RoutingHints.defaults());
    }
}
