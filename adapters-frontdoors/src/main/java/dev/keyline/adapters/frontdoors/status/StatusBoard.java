package dev.keyline.adapters.frontdoors.status;

import dev.keyline.adapters.frontdoors.server.FinishedRequest;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.out.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the status page shows besides the routing state: the last requests with their hops, the deployments lately
 * skipped at a limit, and running totals. Fed as a {@link Telemetry} (beside the metrics, with the same events) and
 * by the front doors' access logs; kept in memory, a bounded amount.
 */
public final class StatusBoard implements Telemetry, FinishedRequest.Listener {

    /** How many finished requests the page keeps. */
    public static final int RECENT = 50;

    /** A deployment skipped at a limit, and when that limit lets calls through again. */
    public record LimitHit(UsageLimit limit, Instant until) {}

    /** Running totals since start. */
    public record Totals(
            long requests,
            long clientErrors,
            long serverErrors,
            long fallbacks,
            long cooldownsStarted,
            long searches,
            long inputTokens,
            long outputTokens,
            long openStreams) {}

    private final InstantSource clock;
    private final Deque<FinishedRequest> recent = new ArrayDeque<>(RECENT);
    private final Map<String, LimitHit> limits = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder cooldowns = new LongAdder();
    private final LongAdder searches = new LongAdder();
    private final LongAdder inputTokens = new LongAdder();
    private final LongAdder outputTokens = new LongAdder();
    private final LongAdder openStreams = new LongAdder();

    public StatusBoard(InstantSource clock) {
        this.clock = clock;
    }

    /** Keeps a finished request, dropping the oldest beyond {@link #RECENT}. */
    @Override
    public void finished(FinishedRequest request) {
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeLast();
            }
            recent.addFirst(request);
        }
    }

    /** @return the last requests, newest first */
    public List<FinishedRequest> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** @return the limit a deployment was last skipped at, while that limit still holds */
    public Optional<LimitHit> atLimit(String deployment) {
        return Optional.ofNullable(limits.get(deployment))
                .filter(hit -> hit.until().isAfter(clock.instant()));
    }

    public Totals totals() {
        return new Totals(
                requests.sum(),
                clientErrors.sum(),
                serverErrors.sum(),
                fallbacks.sum(),
                cooldowns.sum(),
                searches.sum(),
                inputTokens.sum(),
                outputTokens.sum(),
                openStreams.sum());
    }

    @Override
    public void request(String surface, String modelGroup, String deployment, int status, Duration elapsed) {
        requests.increment();
        if (status >= 500) {
            serverErrors.increment();
        } else if (status >= 400) {
            clientErrors.increment();
        }
    }

    @Override
    public void fallback(ModelGroupName from, ModelGroupName to) {
        fallbacks.increment();
    }

    @Override
    public void cooldownStarted(Deployment deployment, FailureClass reason) {
        cooldowns.increment();
    }

    @Override
    public void tokens(Deployment deployment, long input, long output) {
        inputTokens.add(input);
        outputTokens.add(output);
    }

    @Override
    public void search(String engine, String outcome, Duration elapsed) {
        searches.increment();
    }

    @Override
    public void streamOpened() {
        openStreams.increment();
    }

    @Override
    public void streamClosed() {
        openStreams.decrement();
    }

    @Override
    public void limitReached(Deployment deployment, UsageLimit limit, Duration retryIn) {
        limits.put(deployment.id().value(), new LimitHit(limit, clock.instant().plus(retryIn)));
    }
}
