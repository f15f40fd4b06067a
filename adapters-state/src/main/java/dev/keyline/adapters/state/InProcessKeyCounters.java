package dev.keyline.adapters.state;

import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.KeyCounters;
import dev.keyline.ports.out.UsageMeter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keys' and teams' spend and rate counts in this process's memory: the counters of a gateway that shares no state,
 * and what a fleet replica falls back to while Redis is away.
 */
public final class InProcessKeyCounters implements KeyCounters {

    private final InstantSource clock;
    private final ConcurrentHashMap<String, Long> spend = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counts> counts = new ConcurrentHashMap<>();

    public InProcessKeyCounters(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    private static String spendKey(String owner, Budget.Window period) {
        return owner + "#" + period.index();
    }

    @Override
    public Usd spent(String owner, Budget.Window period) {
        return new Usd(spend.getOrDefault(spendKey(owner, period), 0L));
    }

    @Override
    public void addSpend(String owner, Budget.Window period, Usd cost) {
        spend.merge(spendKey(owner, period), cost.nanos(), Math::addExact);
    }

    @Override
    public void seedSpend(String owner, Budget.Window period, Usd spent) {
        spend.putIfAbsent(spendKey(owner, period), spent.nanos());
    }

    @Override
    public Admission admit(String owner, Limits limits) {
        Instant now = clock.instant();
        Counts of = counts.computeIfAbsent(owner, k -> new Counts());
        synchronized (of) {
            of.roll(UsageMeter.minute(now));
            if (limits.rpm().isPresent() && of.requests >= limits.rpm().getAsLong()) {
                return new Admission.AtLimit(UsageLimit.REQUESTS_PER_MINUTE, UsageMeter.untilNextMinute(now));
            }
            if (limits.tpm().isPresent() && of.tokens >= limits.tpm().getAsLong()) {
                return new Admission.AtLimit(UsageLimit.TOKENS_PER_MINUTE, UsageMeter.untilNextMinute(now));
            }
            if (limits.maxParallel().isPresent()
                    && of.inFlight >= limits.maxParallel().getAsInt()) {
                return new Admission.AtLimit(UsageLimit.PARALLEL_REQUESTS, InProcessUsageMeter.PARALLEL_RETRY);
            }
            of.requests++;
            of.inFlight++;
        }
        AtomicBoolean left = new AtomicBoolean();
        return new Admission.Admitted(() -> {
            if (left.compareAndSet(false, true)) {
                synchronized (of) {
                    of.inFlight--;
                }
            }
        });
    }

    @Override
    public void addTokens(String owner, long tokens) {
        Counts of = counts.computeIfAbsent(owner, k -> new Counts());
        synchronized (of) {
            of.roll(UsageMeter.minute(clock.instant()));
            of.tokens += tokens;
        }
    }

    /** One owner's counts of the current minute; guarded by its own monitor. */
    private static final class Counts {
        private long minute = Long.MIN_VALUE;
        private long requests;
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
