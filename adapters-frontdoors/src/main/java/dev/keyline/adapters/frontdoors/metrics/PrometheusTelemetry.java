package dev.keyline.adapters.frontdoors.metrics;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.Telemetry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Keyline's metrics in a registry of its own (no global one), named after the OpenTelemetry GenAI conventions where one
 * exists ({@code gen_ai_server_request_duration_seconds}, {@code gen_ai_server_time_to_first_token_seconds},
 * {@code gen_ai_client_token_usage}) and {@code keyline_…} otherwise. Label values are configuration names and fixed
 * words only: a model name the gateway does not serve is counted as {@code unknown}, so clients cannot grow the label
 * set. docs/operations.md maps each to LiteLLM's nearest metric.
 */
public final class PrometheusTelemetry implements Telemetry {

    /** Request and upstream latencies, in seconds: sub-millisecond gateway work up to long generations. */
    private static final double[] LATENCY_BOUNDS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
    };
    /** The gateway's own time: tens of microseconds up to a slow second. */
    private static final double[] ADDED_BOUNDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1
    };
    /** Model calls per web-search loop: its first hop, then one per round of searches. */
    private static final double[] HOP_BOUNDS = {1, 2, 3, 4, 5, 6, 8, 10, 12, 16};
    /** Tokens per call, in powers of four. */
    private static final double[] TOKEN_BOUNDS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576};

    // Exemplars are off throughout: with OpenTelemetry on the class path they would look up the current span on
    // every count, and Keyline's spans are built after the request (see OpenTelemetryTraces), so there is none.
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Set<String> modelGroups;
    private final Counter requests;
    private final Histogram requestDuration;
    private final Counter attempts;
    private final Counter fallbacks;
    private final Counter rescues;
    private final Counter cooldowns;
    private final Histogram upstreamDuration;
    private final Histogram timeToFirstToken;
    private final Histogram tokenUsage;
    private final Counter searches;
    private final Histogram searchDuration;
    private final Histogram added;
    private final Counter loops;
    private final Histogram loopHops;
    private final Counter limitHits;
    private final Counter spend;
    private final Counter keyRequests;
    private final Counter keyRefusals;
    private final Counter authFailures;
    private final Counter spendDropped;
    private final AtomicLong spendPending = new AtomicLong();
    /** Key aliases and team ids become labels up to this many each; later ones are counted as {@code other}. */
    static final int MAX_KEY_LABELS = 500;

    private final Set<String> keyLabels = ConcurrentHashMap.newKeySet();
    private final Set<String> teamLabels = ConcurrentHashMap.newKeySet();
    private final AtomicLong openStreams = new AtomicLong();
    /**
     * Each deployment's per-call series, found once. The client finds a series by hashing a list of its label
     * values on every count; every answered call counts three of these, which showed in profiles under load.
     */
    private final ConcurrentHashMap<String, DeploymentSeries> byDeployment = new ConcurrentHashMap<>();

    /** The series a deployment's every call feeds; label values are its group and id, fixed for its life. */
    private record DeploymentSeries(
            DistributionDataPoint upstream,
            DistributionDataPoint firstToken,
            DistributionDataPoint inputTokens,
            DistributionDataPoint outputTokens) {}

    /** @param modelGroups the configured model groups; any other name a client sends is labelled {@code unknown} */
    public PrometheusTelemetry(Set<String> modelGroups) {
        this.modelGroups = Set.copyOf(modelGroups);
        requests = Counter.builder()
                .name("keyline_requests_total")
                .help("Requests answered, by front door, model group, serving deployment and HTTP status")
                .labelNames("surface", "model_group", "deployment", "status")
                .withoutExemplars()
                .register(registry);
        requestDuration = latencyHistogram(
                "gen_ai_server_request_duration_seconds",
                "Time from a request's arrival to its answer's end (a stream: its last event), upstream included",
                "surface",
                "model_group");
        attempts = Counter.builder()
                .name("keyline_upstream_attempts_total")
                .help("Calls to deployments, by outcome: ok, or the failure class (rate_limit, timeout, ...)")
                .labelNames("model_group", "deployment", "outcome")
                .withoutExemplars()
                .register(registry);
        fallbacks = Counter.builder()
                .name("keyline_fallbacks_total")
                .help("Requests moved from a model group to a fallback group")
                .labelNames("from_model_group", "to_model_group")
                .withoutExemplars()
                .register(registry);
        rescues = Counter.builder()
                .name("keyline_stream_rescues_total")
                .help("Streams that broke mid-answer, by whether another call continued them (continued) or not"
                        + " (failed)")
                .labelNames("model_group", "deployment", "outcome")
                .withoutExemplars()
                .register(registry);
        cooldowns = Counter.builder()
                .name("keyline_cooldowns_started_total")
                .help("Deployments put to rest, by the failure class that did it")
                .labelNames("model_group", "deployment", "reason")
                .withoutExemplars()
                .register(registry);
        upstreamDuration = latencyHistogram(
                "keyline_upstream_duration_seconds",
                "Time a deployment took to answer a JSON call",
                "model_group",
                "deployment");
        timeToFirstToken = latencyHistogram(
                "gen_ai_server_time_to_first_token_seconds",
                "Time a deployment took to send a stream's first event",
                "model_group",
                "deployment");
        tokenUsage = Histogram.builder()
                .name("gen_ai_client_token_usage")
                .help("Tokens per call, by deployment and type (input counts cache reads and writes)")
                .labelNames("model_group", "deployment", "gen_ai_token_type")
                .classicOnly()
                .classicUpperBounds(TOKEN_BOUNDS)
                .withoutExemplars()
                .register(registry);
        searches = Counter.builder()
                .name("keyline_searches_total")
                .help("Searches run for web-search loops, by engine and outcome")
                .labelNames("engine", "outcome")
                .withoutExemplars()
                .register(registry);
        searchDuration = latencyHistogram("keyline_search_duration_seconds", "Time one search took", "engine");
        added = Histogram.builder()
                .name("keyline_gateway_added_seconds")
                .help("Time the gateway itself added to a request: to its answer (a stream: its first byte), less the"
                        + " time spent waiting on upstreams and searches")
                .unit(Unit.SECONDS)
                .labelNames("surface")
                .classicOnly()
                .classicUpperBounds(ADDED_BOUNDS)
                .withoutExemplars()
                .register(registry);
        loops = Counter.builder()
                .name("keyline_websearch_loops_total")
                .help("Web-search loops the gateway ran, by the deployment every hop went to")
                .labelNames("model_group", "deployment")
                .withoutExemplars()
                .register(registry);
        loopHops = Histogram.builder()
                .name("keyline_websearch_loop_hops")
                .help("Model calls per web-search loop, its first included")
                .labelNames("model_group", "deployment")
                .classicOnly()
                .classicUpperBounds(HOP_BOUNDS)
                .withoutExemplars()
                .register(registry);
        limitHits = Counter.builder()
                .name("keyline_limit_hits_total")
                .help("Times a deployment was skipped at one of its limits (rpm, tpm, max_parallel_requests)")
                .labelNames("model_group", "deployment", "limit")
                .withoutExemplars()
                .register(registry);
        spend = Counter.builder()
                .name("keyline_spend_usd_total")
                .help("US dollars spent by virtual keys (tokens at the deployments' prices, searches at the engine's),"
                        + " by key alias and team")
                .labelNames("key_alias", "team")
                .withoutExemplars()
                .register(registry);
        keyRequests = Counter.builder()
                .name("keyline_key_requests_total")
                .help("Requests accounted to virtual keys, by key alias and team")
                .labelNames("key_alias", "team")
                .withoutExemplars()
                .register(registry);
        keyRefusals = Counter.builder()
                .name("keyline_key_refusals_total")
                .help("Requests of virtual keys refused before any upstream call, by key alias, team and reason"
                        + " (budget, limit, model, expired, blocked)")
                .labelNames("key_alias", "team", "reason")
                .withoutExemplars()
                .register(registry);
        authFailures = Counter.builder()
                .name("keyline_auth_failures_total")
                .help("Requests with a missing or wrong key; throttled=true when refused unchecked after too many")
                .labelNames("throttled")
                .withoutExemplars()
                .register(registry);
        spendDropped = Counter.builder()
                .name("keyline_spend_log_dropped_total")
                .help("Spend log entries given up (the writer's queue was full while the database was away)")
                .withoutExemplars()
                .register(registry);
        GaugeWithCallback.builder()
                .name("keyline_spend_log_pending")
                .help("Spend log entries waiting to be written (they build up while the database is away)")
                .callback(cb -> cb.call(spendPending.get()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("keyline_streams_open")
                .help("Streams to clients open now")
                .callback(callback -> callback.call(openStreams.get()))
                .register(registry);
    }

    private Histogram latencyHistogram(String name, String help, String... labelNames) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .unit(Unit.SECONDS)
                .labelNames(labelNames)
                .classicOnly()
                .classicUpperBounds(LATENCY_BOUNDS)
                .withoutExemplars()
                .register(registry);
    }

    /**
     * Registers the gateway's two gauges, read at each scrape: requests in flight, and deployments resting per
     * model group (every group listed, 0 when none rests).
     *
     * @param inFlight  requests being answered now, streams included
     * @param cooldowns the cooldown store (shared by a fleet when it is)
     * @param groups    the configured model groups
     */
    public void watch(IntSupplier inFlight, CooldownStore cooldowns, ModelGroups groups) {
        gauge(
                "keyline_requests_in_flight",
                "Requests being answered now, streams included",
                "",
                () -> Map.of("", (long) inFlight.getAsInt()));
        gauge("keyline_deployments_cooling", "Deployments resting now, by model group", "model_group", () -> {
            Map<String, Long> byGroup = new TreeMap<>();
            groups.all().forEach(g -> byGroup.put(g.name().value(), 0L));
            cooldowns.activeCooldowns().forEach(c -> byGroup.merge(c.group().value(), 1L, Long::sum));
            return byGroup;
        });
    }

    /**
     * Adds a gauge read at each scrape.
     *
     * @param name   the metric's name
     * @param help   what it counts
     * @param values the current values by one label's value (an empty label name: a single value under "")
     */
    private void gauge(String name, String help, String labelName, Supplier<Map<String, Long>> values) {
        GaugeWithCallback.Builder builder =
                GaugeWithCallback.builder().name(name).help(help);
        if (!labelName.isEmpty()) {
            builder.labelNames(labelName);
        }
        builder.callback(callback -> values.get().forEach((label, value) -> {
                    if (labelName.isEmpty()) {
                        callback.call(value);
                    } else {
                        callback.call(value, label);
                    }
                }))
                .register(registry);
    }

    /** Writes every metric in Prometheus's text format. */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** @return the text format's content type */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    @Override
    public void request(String surface, String modelGroup, String deployment, int status, Duration elapsed) {
        String group = modelGroups.contains(modelGroup) ? modelGroup : "unknown";
        requests.labelValues(surface, group, deployment, Integer.toString(status))
                .inc();
        requestDuration.labelValues(surface, group).observe(seconds(elapsed));
    }

    @Override
    public void attempt(Deployment deployment, String outcome) {
        attempts.labelValues(deployment.group().value(), deployment.id().value(), outcome)
                .inc();
    }

    @Override
    public void streamRescue(Deployment broken, String outcome) {
        rescues.labelValues(broken.group().value(), broken.id().value(), outcome)
                .inc();
    }

    @Override
    public void fallback(ModelGroupName from, ModelGroupName to) {
        fallbacks.labelValues(from.value(), to.value()).inc();
    }

    @Override
    public void cooldownStarted(Deployment deployment, FailureClass reason) {
        cooldowns
                .labelValues(deployment.group().value(), deployment.id().value(), reason.label())
                .inc();
    }

    @Override
    public void upstream(Deployment deployment, Duration elapsed, boolean streamed) {
        DeploymentSeries series = series(deployment);
        (streamed ? series.firstToken() : series.upstream()).observe(seconds(elapsed));
    }

    @Override
    public void tokens(Deployment deployment, long input, long output) {
        DeploymentSeries series = series(deployment);
        series.inputTokens().observe(input);
        series.outputTokens().observe(output);
    }

    private DeploymentSeries series(Deployment deployment) {
        // Keyed by id: ids are unique in a configuration, and a String's hash is kept once computed.
        DeploymentSeries found = byDeployment.get(deployment.id().value());
        return found != null
                ? found
                : byDeployment.computeIfAbsent(deployment.id().value(), id -> {
                    String group = deployment.group().value();
                    return new DeploymentSeries(
                            upstreamDuration.labelValues(group, id),
                            timeToFirstToken.labelValues(group, id),
                            tokenUsage.labelValues(group, id, "input"),
                            tokenUsage.labelValues(group, id, "output"));
                });
    }

    @Override
    public void search(String engine, String outcome, Duration elapsed) {
        searches.labelValues(engine, outcome).inc();
        searchDuration.labelValues(engine).observe(seconds(elapsed));
    }

    @Override
    public void added(String surface, Duration elapsed) {
        added.labelValues(surface).observe(seconds(elapsed));
    }

    @Override
    public void loop(String modelGroup, String deployment, int hops, int searchCount) {
        loops.labelValues(modelGroup, deployment).inc();
        loopHops.labelValues(modelGroup, deployment).observe(hops);
    }

    @Override
    public void streamOpened() {
        openStreams.incrementAndGet();
    }

    @Override
    public void streamClosed() {
        openStreams.decrementAndGet();
    }

    @Override
    public void limitReached(Deployment deployment, UsageLimit limit, Duration retryIn) {
        limitHits
                .labelValues(deployment.group().value(), deployment.id().value(), limit.configName())
                .inc();
    }

    /** A key's two per-request series, found once per key and team (as {@link DeploymentSeries} is). */
    private record KeySeries(CounterDataPoint requests, CounterDataPoint spend) {}

    private final ConcurrentHashMap<String, KeySeries> byKey = new ConcurrentHashMap<>();

    @Override
    public void spent(String key, String team, Usd cost) {
        KeySeries series = byKey.get(key + '\n' + team);
        if (series == null) {
            String keyLabel = bounded(keyLabels, key);
            String teamLabel = bounded(teamLabels, team);
            series =
                    new KeySeries(keyRequests.labelValues(keyLabel, teamLabel), spend.labelValues(keyLabel, teamLabel));
            if (byKey.size() < 4 * MAX_KEY_LABELS) {
                byKey.put(key + '\n' + team, series);
            }
        }
        series.requests().inc();
        series.spend().inc(cost.asDouble());
    }

    @Override
    public void keyRefused(String key, String team, String reason) {
        keyRefusals
                .labelValues(bounded(keyLabels, key), bounded(teamLabels, team), reason)
                .inc();
    }

    @Override
    public void authFailed(boolean throttled) {
        authFailures.labelValues(Boolean.toString(throttled)).inc();
    }

    @Override
    public void spendBacklog(int pending, long dropped) {
        spendPending.set(pending);
        if (dropped > 0) {
            spendDropped.inc(dropped);
        }
    }

    /** Keeps a label's values bounded: the first {@link #MAX_KEY_LABELS} seen, then {@code other}. */
    private static String bounded(Set<String> seen, String value) {
        if (seen.contains(value)) {
            return value;
        }
        if (seen.size() >= MAX_KEY_LABELS) {
            return "other";
        }
        seen.add(value);
        return value;
    }

    private static double seconds(Duration elapsed) {
        return Objects.requireNonNull(elapsed, "'elapsed' must not be null").toNanos() / 1e9;
    }
}
