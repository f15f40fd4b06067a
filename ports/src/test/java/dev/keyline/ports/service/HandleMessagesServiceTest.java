package dev.keyline.ports.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.UpstreamHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HandleMessagesServiceTest {

    private final List<Deployment> called = new ArrayList<>();

    @Test
    void theProviderReceivesTheWholeDeployment_ofTheGroupTheClientNamed() {
        Deployment kimi = deployment("kimi-a", "kimi", OptionalInt.empty());
        var service = new HandleMessagesService(ModelGroups.of(List.of(deployment("other", "qwen", OptionalInt.empty()), kimi)),
                recording(d -> new ProviderReply.Completed(answer(), UpstreamHeaders.none())));

        MessagesResult result = service.handle(command("kimi"));

        assertEquals(List.of(kimi), called);
        assertEquals(new DeploymentId("kimi-a"), assertInstanceOf(MessagesResult.Answered.class, result).servedBy());
    }

    @Test
    void theLowestOrderIsPreferred() {
        Deployment backup = deployment("b", "g", OptionalInt.of(2));
        Deployment primary = deployment("p", "g", OptionalInt.of(1));
        var service = new HandleMessagesService(ModelGroups.of(List.of(backup, primary)),
                recording(d -> new ProviderReply.Completed(answer(), UpstreamHeaders.none())));

        service.handle(command("g"));

        assertSame(primary, called.getFirst());
    }

    @Test
    void anUnknownModel_isRefusedWithoutAnyUpstreamCall() {
        var service = new HandleMessagesService(ModelGroups.of(List.of(deployment("a", "g", OptionalInt.empty()))),
                recording(d -> new ProviderReply.Completed(answer(), UpstreamHeaders.none())));

        MessagesResult result = service.handle(command("claude-opus"));

        assertEquals(new GatewayError.UnknownModel("claude-opus"),
                assertInstanceOf(MessagesResult.Refused.class, result).error());
        assertTrue(called.isEmpty());
    }

    @Test
    void anUpstreamFailure_isTheDeploymentsOwn() {
        ProviderFailure unauthorized = ProviderFailure.fromHttpStatus(401, "{\"x\":1}", Optional.empty());
        var service = new HandleMessagesService(ModelGroups.of(List.of(deployment("a", "g", OptionalInt.empty()))),
                recording(d -> new ProviderReply.Failed(unauthorized)));

        MessagesResult result = service.handle(command("g"));

        assertEquals(new GatewayError.UpstreamFailed(new DeploymentId("a"), unauthorized),
                assertInstanceOf(MessagesResult.Refused.class, result).error());
    }

    private ProviderClient recording(Function<Deployment, ProviderReply> answer) {
        return new ProviderClient() {
            @Override
            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                called.add(deployment);
                return answer.apply(deployment);
            }

            @Override
            public ProviderStream stream(Deployment deployment, ProviderRequest request) {
                throw new AssertionError("not streamed in these tests");
            }
        };
    }

    private static MessagesCommand command(String model) {
        return new MessagesCommand(new MessagesRequest(model, 16,
                List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("hi")))), List.of(), Optional.empty(),
                false, RawJson.empty()), ProtocolHeaders.defaults());
    }

    private static MessageResponse answer() {
        return new MessageResponse("msg_1", "kimi-k2.5", List.of(ContentBlock.Text.of("hello")),
                Optional.of("end_turn"), Optional.empty(), Usage.zero(), RawJson.empty());
    }

    private static Deployment deployment(String id, String group, OptionalInt order) {
        return new Deployment(new DeploymentId(id), new ModelGroupName(group), "anthropic", "m",
                Endpoint.parse("http://127.0.0.1:9/" + id), Credentials.of("sk-" + id), AuthScheme.X_API_KEY,
                new ExtraHeaders(Map.of()), Duration.ofSeconds(5),
                new RoutingHints(1, order, OptionalInt.empty(), OptionalInt.empty()));
    }
}
