package dev.keyline.adapters.http;

import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Deployments and requests for adapter tests. */
public final class TestDeployments {

    public static final String KEY = "sk-deployment-key-7f3a";

    private TestDeployments() {
    }

    public static Deployment kimi(String baseUrl) {
        return deployment(baseUrl + "/plan/anthropic", AuthScheme.X_API_KEY, Duration.ofSeconds(5));
    }

    public static Deployment deployment(String apiBase, AuthScheme scheme, Duration timeout) {
        return new Deployment(new DeploymentId("kimi-a"), new ModelGroupName("kimi-k2.5-tencent-claude"), "anthropic",
                "kimi-k2.5", Endpoint.parse(apiBase), Credentials.of(KEY), scheme,
                new ExtraHeaders(Map.of("X-Tenant", "t-42")), timeout, RoutingHints.defaults());
    }

    public static MessagesRequest hello(boolean stream) {
        return new MessagesRequest("kimi-k2.5-tencent-claude", 64,
                List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("hello")))), List.of(), Optional.empty(),
                stream, RawJson.empty());
    }
}
