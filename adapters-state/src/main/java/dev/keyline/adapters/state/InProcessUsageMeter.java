package dev.keyline.adapters.state;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.UsageMeter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Each deployment's requests and tokens of the current minute and its calls in flight, in this process's memory:
 * the limits of a gateway that shares no state, and what a fleet replica falls back to while Redis is away.
 */
public final class InProcessUsageMeter implements UsageMeter {

    /** A freed call slot has no known time; a client retrying after a second will usually find one. */
    static final Duration PARALLEL_RETRY = Duration.ofSeconds(1);

    private final InstantSource clock;
    private final ConcurrentHashMap<DeploymentId, Counts> counts = new ConcurrentHashMap<>();

    public InProcessUsageMeter(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    @Override
    public Admission admit(Deployment deployment) {
        Instant now = clock.instant();
        Counts of = counts(deployment.id());
        RoutingHints hints = deployment.routing();
        synchronized (of) {
            of.roll(UsageMeter.minute(now));
            if (hints.rpm().isPresent() && of.requests >= hints.rpm().getAsInt()) {
                return new Admission.AtLimit(UsageLimit.REQUESTS_PER_MINUTE, UsageMeter.untilNextMinute(now));
            }
            if (hints.tpm().isPresent() && of.tokens >= hints.tpm().getAsInt()) {
                return new Admission.AtLimit(UsageLimit.TOKENS_PER_MINUTE, UsageMeter.untilNextMinute(now));
            }
            if (hints.maxParallelRequests().isPresent()
                    && of.inFlight >= hints.maxParallelRequests().getAsInt()) {
                return new Admission.AtLimit(UsageLimit.PARALLEL_REQUESTS, PARALLEL_RETRY);
            }
            of.requests++;
            of.inFlight++;
        }
        return new Admission.Admitted(leave(of));
    }

    @Override
    public Runnable enter(Deployment deployment) {
        Counts of = counts(deployment.id());
        synchronized (of) {
            of.roll(UsageMeter.minute(clock.instant()));
            of.requests++;
            of.inFlight++;
        }
        return leave(of);
    }

    @Override
    public void addTokens(Deployment deployment, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must not be negative, was " + tokens);
        }
        Counts of = counts(deployment.id());
        synchronized (of) {
            of.roll(UsageMeter.minute(clock.instant()));
            of.tokens += tokens;
        }
    }

    @Override
    public int inFlight(DeploymentId deployment) {
        Counts of = counts.get(deployment);
        if (of == null) {
            return 0;
        }
        synchronized (of) {
            return of.inFlight;
        }
    }

    private Counts counts(DeploymentId id) {
        return counts.computeIfAbsent(Objects.requireNonNull(id, "'deployment' must not be null"), k -> new Counts());
    }

    private static Runnable leave(Counts of) {
        AtomicBoolean left = new AtomicBoolean();
        return () -> {
            if (left.compareAndSet(false, true)) {
                synchronized (of) {
                    of.inFlight--;
                }
            }
        };
    }

    /** One deployment's counts; guarded by its own monitor. */
    private static final class Counts {
        private long minute = Long.MIN_VALUE;
        private int requests;
        private long tokens;
        private int inFlight;

        void roll(long now) {
            if (now != minute) {
                minute = now;
                requests = 0;
                tokens = 0;
            }
        }
    }
}
