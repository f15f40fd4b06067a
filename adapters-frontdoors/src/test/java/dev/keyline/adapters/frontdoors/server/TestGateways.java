package dev.keyline.adapters.frontdoors.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.frontdoors.GatewayRouting;
import dev.keyline.adapters.frontdoors.GatewayUseCases;
import dev.keyline.adapters.frontdoors.status.StatusBoard;
import dev.keyline.adapters.providers.anthropic.AnthropicProviderClient;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.application.cooldowns.ListCooldownsService;
import dev.keyline.application.messages.CountTokensService;
import dev.keyline.application.messages.HandleMessagesService;
import dev.keyline.application.messages.WebSearchInterception;
import dev.keyline.application.models.ListModelsService;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.testing.TestUpstreams;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Starts the front door on loopback with the real service, router and provider client. */
final class TestGateways {

    private TestGateways() {}

    static WebServer start(List<Deployment> deployments, Credentials key, CooldownStore cooldowns) {
        ObjectMapper mapper = new ObjectMapper();
        ModelGroups groups = ModelGroups.of(deployments);
        var provider = new AnthropicProviderClient(ProviderHttpClients.standard(), mapper, InstantSource.system());
        Router router = new Router(
                groups,
                TestUpstreams.through(provider),
                RouterRules.defaults(),
                cooldowns,
                duration -> {},
                new Random(1),
                InstantSource.system(),
                new InProcessUsageMeter(InstantSource.system()),
                Telemetry.off());
        var service =
                new HandleMessagesService(router, WebSearchInterception.off(), new JacksonMessageEventCodec(mapper));
        DirectHandlers.Builder direct = DirectHandlers.builder();
        Arrays.stream(DirectHandler.EventType.values())
                .forEach(t -> direct.addHandler(t, GatewayRouting.transportErrors(200_000)));
        return WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .maxPayloadSize(200_000)
                .directHandlers(direct.build())
                .routing(routing -> GatewayRouting.configure(
                        routing,
                        new GatewayUseCases(
                                service,
                                new CountTokensService(router, WebSearchInterception.off()),
                                new ListModelsService(
                                        groups, InstantSource.system().instant()),
                                new ListCooldownsService(cooldowns)),
                        InstantSource.system(),
                        key,
                        mapper,
                        new GatewayRouting.Operations(
                                Telemetry.off(),
                                java.util.Optional.empty(),
                                new StatusBoard(InstantSource.system()),
                                java.util.Optional.empty(),
                                false,
                                groups,
                                "keyline test")))
                .build()
                .start();
    }
}
