package dev.keyline.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.frontdoors.GatewayRouting;
import dev.keyline.adapters.frontdoors.GatewayUseCases;
import dev.keyline.adapters.frontdoors.metrics.PrometheusTelemetry;
import dev.keyline.adapters.frontdoors.status.StatusBoard;
import dev.keyline.adapters.frontdoors.tracing.OpenTelemetryTraces;
import dev.keyline.adapters.providers.ProviderDispatch;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.adapters.wire.WireJson;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.config.OperationsSettings;
import dev.keyline.app.search.SearchEngines;
import dev.keyline.app.tracing.OtlpTracing;
import dev.keyline.application.cooldowns.ListCooldownsService;
import dev.keyline.application.messages.CountTokensService;
import dev.keyline.application.messages.HandleMessagesService;
import dev.keyline.application.messages.WebSearchInterception;
import dev.keyline.application.models.ListModelsService;
import dev.keyline.application.routing.MeteredUpstreams;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.Telemetry;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The gateway's parts, wired from one configuration: provider upstreams, routing state, telemetry, the use cases
 * and what the front doors need besides. Building it opens the routing state (Redis, when configured) and the
 * trace exporter; {@link #close()} closes both.
 *
 * @param mapper     the JSON mapper every part shares
 * @param useCases   the use cases the front doors drive
 * @param operations what the front doors report to (telemetry, metrics, status page, traces, log format)
 * @param inFlight   requests being answered now, streams included; counted by the server, read by the gauges
 */
record GatewayWiring(
        ObjectMapper mapper,
        GatewayUseCases useCases,
        GatewayRouting.Operations operations,
        AtomicInteger inFlight,
        RoutingState state,
        Optional<OtlpTracing> tracing,
        VirtualKeys keys) {

    /** Anthropic's own request limit. */
    static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;
    /** Results asked of the engine per search; Anthropic's own tool returns a handful per query too. */
    static final int RESULTS_PER_SEARCH = 5;

    static GatewayWiring of(
            GatewayConfig config, Preflight preflight, InstantSource clock, UnaryOperator<ProviderClient> decorate) {
        ObjectMapper mapper = WireJson.mapper(MAX_REQUEST_BYTES);
        ModelGroups groups = ModelGroups.of(config.deployments());
        ProviderDispatch upstreams = ProviderDispatch.standard(
                config.deployments(), config.providers(), mapper, clock, decorate, config.upstreamTrust());
        RoutingState state = RoutingState.of(config, clock);
        AtomicInteger inFlight = new AtomicInteger();
        JacksonMessageEventCodec codec = new JacksonMessageEventCodec(mapper);
        OperationsSettings operations = config.operations();
        Optional<PrometheusTelemetry> metrics = operations.metrics()
                ? Optional.of(new PrometheusTelemetry(
                        groups.all().stream().map(g -> g.name().value()).collect(Collectors.toSet())))
                : Optional.empty();
        metrics.ifPresent(m -> m.watch(inFlight::get, state.cooldowns(), groups));
        StatusBoard board = new StatusBoard(clock);
        Optional<OtlpTracing> tracing =
                operations.traces().map(export -> OtlpTracing.start(export, KeylineServer.VERSION));
        Telemetry telemetry =
                metrics.<Telemetry>map(m -> Telemetry.both(m, board)).orElse(board);
        // ThreadLocalRandom per call: the router is shared by every request thread.
        RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        Router router = new Router(
                groups,
                new MeteredUpstreams(upstreams, state.meter(), codec, telemetry),
                config.router().toRules(),
                state.cooldowns(),
                new ThreadSleeper(),
                random,
                clock,
                state.meter(),
                telemetry);
        WebSearchInterception interception = webSearch(config, preflight, telemetry);
        VirtualKeys keys;
        try {
            keys = VirtualKeys.of(config, state.keyCounters(), telemetry, clock);
        } catch (IllegalStateException e) {
            state.close();
            tracing.ifPresent(OtlpTracing::close);
            throw new StartupException(e.getMessage());
        }
        GatewayUseCases useCases = new GatewayUseCases(
                new HandleMessagesService(
                        router, interception, codec, config.router().streamResume()),
                new CountTokensService(router, interception),
                new ListModelsService(groups, clock.instant().truncatedTo(ChronoUnit.SECONDS)),
                new ListCooldownsService(state.cooldowns()),
                keys.access(),
                keys.admin());
        GatewayRouting.Operations reports = new GatewayRouting.Operations(
                telemetry,
                metrics.map(m -> new GatewayRouting.Metrics(m, operations.metricsNeedKey())),
                board,
                tracing.map(t -> new OpenTelemetryTraces(t.tracer(), t.spanIds())),
                operations.jsonLogs(),
                groups,
                "Keyline " + KeylineServer.VERSION);
        return new GatewayWiring(mapper, useCases, reports, inFlight, state, tracing, keys);
    }

    private static WebSearchInterception webSearch(GatewayConfig config, Preflight preflight, Telemetry telemetry) {
        Map<DeploymentId, Integer> intercepted = new HashMap<>();
        config.deployments().stream()
                .filter(config::intercepts)
                .forEach(d -> intercepted.put(d.id(), config.maxAgenticLoops(d)));
        if (intercepted.isEmpty()) {
            return WebSearchInterception.off();
        }
        return new WebSearchInterception(
                SearchEngines.measured(config, preflight.searchEngine().orElseThrow(), telemetry),
                intercepted,
                RESULTS_PER_SEARCH);
    }

    /** Writes the spend not yet written, closes the routing state and, after the last spans left, the traces. */
    void close() {
        try {
            keys.close();
        } finally {
            try {
                state.close();
            } finally {
                tracing.ifPresent(OtlpTracing::close);
            }
        }
    }
}
