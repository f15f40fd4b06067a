package dev.keyline.application.messages;

import static dev.keyline.domain.testing.TestDeployments.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.ToolDefinition;
import dev.keyline.domain.message.Usage;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.websearch.SearchHit;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.testing.InMemoryCooldownStore;
import dev.keyline.ports.testing.MutableClock;
import dev.keyline.ports.testing.NoEventCodec;
import dev.keyline.ports.testing.RecordingSleeper;
import dev.keyline.ports.testing.ScriptedModel;
import dev.keyline.ports.testing.TestUpstreams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandleMessagesServiceWebSearchTest {

    private static final ToolDefinition WEB_SEARCH = new ToolDefinition.WebSearch(
            "web_search_20250305",
            "web_search",
            OptionalInt.of(3),
            List.of(),
            List.of(),
            Optional.empty(),
            RawJson.empty());
    private static final ProtocolHeaders HEADERS = new ProtocolHeaders(Optional.of("2023-06-01"), List.of("beta-1"));

    private final MutableClock clock = MutableClock.atSomeMoment();
    private final InMemoryCooldownStore cooldowns = new InMemoryCooldownStore(clock);
    private final List<String> queries = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyHopOfTheLoop_goesToTheDeploymentOfTheFirst_withTheClientsHeaders() {
        ScriptedModel model = new ScriptedModel(call -> call == 1
                ? searching("toolu_1", "keyline gateway")
                : call == 2 ? searching("toolu_2", "keyline credentials") : answer("Done."));
        Deployment a = deployment("a", "g");
        Deployment b = deployment("b", "g");

        MessagesResult result = service(model, a, b).handle(command(false));

        MessageResponse response =
                assertInstanceOf(MessagesResult.Answered.class, result).response();
        assertEquals(3, model.calls().size());
        Deployment first = model.calls().getFirst().deployment();
        model.calls().forEach(call -> {
            assertEquals(first, call.deployment(), "a hop left the loop's deployment");
            assertEquals(HEADERS, call.request().headers());
        });
        assertEquals(List.of("keyline gateway", "keyline credentials"), queries);
        assertEquals(2, response.usage().webSearchRequests());
        assertEquals(30, response.usage().inputTokens());
        assertEquals(
                List.of(
                        "server_tool_use",
                        "web_search_tool_result",
                        "server_tool_use",
                        "web_search_tool_result",
                        "text"),
                response.content().stream().map(ContentBlock::type).toList());
    }

    @Test
    void aFailedFollowUp_returnsThatDeploymentsError_neverTheFirstHopsHalfAnswer_andDoesNotMoveOrCool() {
        ProviderFailure refused = ProviderFailure.fromHttpStatus(401, "{\"type\":\"error\"}", Optional.empty());
        ScriptedModel model = new ScriptedModel(call -> call == 1 ? searching("toolu_1", "q") : refused);
        Deployment a = deployment("a", "g");

        MessagesResult result = service(model, a, deployment("b", "g")).handle(command(false));

        GatewayError error =
                assertInstanceOf(MessagesResult.Refused.class, result).error();
        DeploymentId bound = model.calls().getFirst().deployment().id();
        assertEquals(new GatewayError.UpstreamFailed(bound, refused), error);
        assertEquals(2, model.calls().size(), "a follow-up is never sent to another deployment");
        assertEquals(List.of(), cooldowns.activeCooldowns(), "a refused follow-up may be the gateway's mistake");
    }

    @Test
    void aDeploymentThatIsNotIntercepted_getsTheServerToolAsSent() {
        ScriptedModel model = new ScriptedModel(call -> answer("native"));
        Deployment plain = deployment("plain", "p");
        var service = new HandleMessagesService(
                new Router(
                        ModelGroups.of(List.of(plain)),
                        TestUpstreams.through(model),
                        RouterRules.defaults(),
                        cooldowns,
                        new RecordingSleeper(clock),
                        new Random(1),
                        clock,
                        new InProcessUsageMeter(clock),
                        Telemetry.off()),
                new WebSearchInterception(request -> found(), Map.of(), 5),
                NoEventCodec.INSTANCE);

        service.handle(new MessagesCommand(request("p", false), HEADERS));

        assertEquals(
                List.of(WEB_SEARCH), model.calls().getFirst().request().body().tools());
        assertTrue(queries.isEmpty());
    }

    private HandleMessagesService service(ScriptedModel model, Deployment... deployments) {
        Map<DeploymentId, Integer> intercepted = new HashMap<>();
        for (Deployment d : deployments) {
            intercepted.put(d.id(), 3);
        }
        return new HandleMessagesService(
                new Router(
                        ModelGroups.of(List.of(deployments)),
                        TestUpstreams.through(model),
                        RouterRules.defaults(),
                        cooldowns,
                        new RecordingSleeper(clock),
                        new Random(1),
                        clock,
                        new InProcessUsageMeter(clock),
                        Telemetry.off()),
                new WebSearchInterception(
                        request -> {
                            queries.add(request.query());
                            return found();
                        },
                        intercepted,
                        5),
                NoEventCodec.INSTANCE);
    }

    private static SearchOutcome found() {
        return new SearchOutcome.Found(
                List.of(new SearchHit("Keyline", "https://keyline.dev", "A gateway.", Optional.empty())));
    }

    private static MessagesCommand command(boolean stream) {
        return new MessagesCommand(request("g", stream), HEADERS);
    }

    private static MessagesRequest request(String model, boolean stream) {
        return new MessagesRequest(
                model,
                256,
                List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("q?")))),
                List.of(WEB_SEARCH),
                Optional.empty(),
                stream,
                RawJson.empty());
    }

    private static MessageResponse searching(String id, String query) {
        return new MessageResponse(
                "msg",
                "m",
                List.of(new ContentBlock.ToolUse(
                        id, "web_search", new RawJson(Map.of("query", query)), RawJson.empty())),
                Optional.of("tool_use"),
                Optional.empty(),
                new Usage(10, 5, 0, 0, 0, 0, RawJson.empty()),
                RawJson.empty());
    }

    private static MessageResponse answer(String text) {
        return new MessageResponse(
                "msg",
                "m",
                List.of(ContentBlock.Text.of(text)),
                Optional.of("end_turn"),
                Optional.empty(),
                new Usage(10, 5, 0, 0, 0, 0, RawJson.empty()),
                RawJson.empty());
    }
}
