package dev.keyline.adapters.frontdoors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.frontdoors.admin.KeyAdminHttpService;
import dev.keyline.adapters.frontdoors.chat.ChatCompletionsHttpService;
import dev.keyline.adapters.frontdoors.metrics.MetricsHttpService;
import dev.keyline.adapters.frontdoors.metrics.PrometheusTelemetry;
import dev.keyline.adapters.frontdoors.server.AccessLog;
import dev.keyline.adapters.frontdoors.server.AnthropicErrors;
import dev.keyline.adapters.frontdoors.server.AuthThrottle;
import dev.keyline.adapters.frontdoors.server.CooldownsHttpService;
import dev.keyline.adapters.frontdoors.server.ErrorReplies;
import dev.keyline.adapters.frontdoors.server.FinishedRequest;
import dev.keyline.adapters.frontdoors.server.GatewayKeyFilter;
import dev.keyline.adapters.frontdoors.server.HealthHttpService;
import dev.keyline.adapters.frontdoors.server.MessagesHttpService;
import dev.keyline.adapters.frontdoors.server.ModelsHttpService;
import dev.keyline.adapters.frontdoors.server.RequestIds;
import dev.keyline.adapters.frontdoors.server.RequestTraces;
import dev.keyline.adapters.frontdoors.server.TransportErrorHandler;
import dev.keyline.adapters.frontdoors.status.StatusBoard;
import dev.keyline.adapters.frontdoors.status.StatusHttpService;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.ports.out.Telemetry;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.http.HttpRouting;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** Assembles the gateway's routes; the composition root and tests share it. */
public final class GatewayRouting {

    private static final System.Logger LOG = System.getLogger(GatewayRouting.class.getName());

    private GatewayRouting() {}

    /**
     * The gateway's metrics.
     *
     * @param telemetry what the gateway counts into, and {@code /metrics} serves
     * @param needKey   whether {@code /metrics} asks for the gateway key (it does unless configured open)
     */
    public record Metrics(PrometheusTelemetry telemetry, boolean needKey) {
        public Metrics {
            Objects.requireNonNull(telemetry, "'telemetry' must not be null");
        }
    }

    /**
     * What operators see: the metrics, the status page, the request logs.
     *
     * @param telemetry what the front doors count into: the metrics and the status board, as the router has them
     * @param metrics   the metrics {@code GET /metrics} serves, if they are on
     * @param board     what the status page remembers
     * @param traces    where finished requests are traced, when traces are on
     * @param jsonLogs  whether requests are logged as JSON lines (one per request, one per upstream call)
     * @param groups    the configured model groups and deployments
     * @param version   the gateway's name and version, for the status page
     */
    public record Operations(
            Telemetry telemetry,
            Optional<Metrics> metrics,
            StatusBoard board,
            Optional<FinishedRequest.Listener> traces,
            boolean jsonLogs,
            ModelGroups groups,
            String version) {
        public Operations {
            Objects.requireNonNull(telemetry, "'telemetry' must not be null");
            Objects.requireNonNull(metrics, "'metrics' must not be null");
            Objects.requireNonNull(board, "'board' must not be null");
            Objects.requireNonNull(traces, "'traces' must not be null");
            Objects.requireNonNull(groups, "'groups' must not be null");
            Objects.requireNonNull(version, "'version' must not be null");
        }
    }

    /**
     * @param routing    the builder to add routes to
     * @param useCases   what the endpoints call
     * @param clock      the time source, for remaining cooldown times
     * @param gatewayKey the key clients must present, or {@link Credentials#none()} for an open gateway
     * @param mapper     the JSON mapper
     * @param operations the metrics, status page and request logs
     */
    public static void configure(
            HttpRouting.Builder routing,
            GatewayUseCases useCases,
            InstantSource clock,
            Credentials gatewayKey,
            ObjectMapper mapper,
            Operations operations) {
        AuthThrottle throttle = new AuthThrottle(clock, operations.telemetry());
        GatewayKeyFilter keyFilter = GatewayKeyFilter.api(gatewayKey, useCases.keys(), throttle);
        GatewayKeyFilter operatorFilter = GatewayKeyFilter.operators(gatewayKey, useCases.keys(), throttle);
        ModelGroups groups = operations.groups();
        List<FinishedRequest.Listener> listeners = new ArrayList<>();
        listeners.add(operations.board());
        operations.traces().ifPresent(listeners::add);
        AccessLog.Sinks sinks = new AccessLog.Sinks(
                operations.telemetry(),
                listeners,
                groups.all().stream().map(g -> g.name().value()).collect(Collectors.toSet()),
                operations.jsonLogs(),
                clock,
                useCases.keys());
        ChatCompletionsHttpService chat =
                new ChatCompletionsHttpService(useCases.messages(), new ErrorReplies(mapper), mapper, clock, sinks);
        routing.addFilter(new RequestIds());
        routing.addFilter(new RequestTraces(operations.traces().isPresent()));
        operations.metrics().ifPresent(m -> {
            if (m.needKey()) {
                routing.any("/metrics", operatorFilter);
            }
            routing.register("/metrics", new MetricsHttpService(m.telemetry()));
        });
        useCases.admin().ifPresent(admin -> {
            for (String path : new String[] {"/key/*", "/team/*", "/spend/*"}) {
                routing.any(path, operatorFilter);
            }
            routing.register(new KeyAdminHttpService(
                    admin,
                    mapper,
                    groups.all().stream().map(g -> g.name().value()).collect(Collectors.toSet())));
        });
        routing.register(
                        "/ui",
                        new StatusHttpService(
                                groups,
                                useCases.cooldowns(),
                                operations.board(),
                                gatewayKey,
                                clock,
                                operations.version(),
                                throttle,
                                useCases.admin()))
                .register("/health", new HealthHttpService(groups.all().size(), groups.deploymentCount()))
                .any("/v1/*", keyFilter)
                .any("/cooldowns", operatorFilter)
                .register("/cooldowns", new CooldownsHttpService(useCases.cooldowns(), clock))
                .register("/v1/models", new ModelsHttpService(useCases.models(), mapper))
                .any("/chat/completions", keyFilter)
                .register("/v1/chat/completions", chat)
                .register("/chat/completions", chat)
                .register(
                        "/v1/messages",
                        new MessagesHttpService(
                                useCases.messages(),
                                useCases.counts(),
                                new MessagesRequestCodec(mapper),
                                new MessageResponseCodec(mapper),
                                new JacksonMessageEventCodec(mapper),
                                new ErrorReplies(mapper),
                                sinks))
                .any((req, res) -> AnthropicErrors.send(
                        res,
                        404,
                        "not_found_error",
                        "no such endpoint: " + req.prologue().method().text() + " "
                                + req.path().path()))
                .error(Exception.class, (req, res, e) -> {
                    String reference = UUID.randomUUID().toString();
                    LOG.log(Level.ERROR, "request failed inside the gateway (reference " + reference + ")", e);
                    if (!res.isSent()) {
                        AnthropicErrors.send(
                                res,
                                500,
                                "api_error",
                                "the gateway failed to process the request (reference " + reference + ")");
                    }
                });
    }

    /**
     * @param maxBodyBytes the body limit the server enforces, stated in the 413 answer
     * @return the handler that puts transport-level rejections in the Anthropic shape
     */
    public static DirectHandler transportErrors(long maxBodyBytes) {
        return new TransportErrorHandler(maxBodyBytes);
    }
}
