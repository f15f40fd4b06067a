package dev.keyline.ports.testing;

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
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.in.MessagesCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Deployments, requests and answers for service tests; each deployment has its own origin and key. */
public final class TestDeployments {

    private TestDeployments() {
    }

    public static Deployment deployment(String id, String group) {
        return deployment(id, group, RoutingHints.defaults());
    }

    public static Deployment deployment(String id, String group, RoutingHints routing) {
        return new Deployment(new DeploymentId(id), new ModelGroupName(group), "anthropic", "model-of-" + id,
                Endpoint.parse("http://" + id + ".upstream.test/anthropic"), Credentials.of("sk-key-of-" + id),
                AuthScheme.X_API_KEY, new ExtraHeaders(Map.of()), Duration.ofSeconds(30), routing);
    }

    public static MessagesCommand command(String model, boolean stream) {
        return new MessagesCommand(new MessagesRequest(model, 16,
                List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("hi")))), List.of(), Optional.empty(),
                stream, RawJson.empty()), ProtocolHeaders.defaults());
    }

    public static MessageResponse answer(String text) {
        return new MessageResponse("msg_1", "m", List.of(ContentBlock.Text.of(text)), Optional.of("end_turn"),
                Optional.empty(), Usage.zero(), RawJson.empty());
    }
}
