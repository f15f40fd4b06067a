package dev.keyline.adapters.state;

import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.Usd;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.KeyCounters;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys' and teams' spend and rate counts in this process's memory: the counters of a gateway that shares no state,
 * and what a fleet replica falls back to while Redis is away.
 */
public final class InProcessKeyCounters implements KeyCounters {

    private final InstantSource clock;
    private final ConcurrentHashMap<String, Long> spend = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MinuteCounts> counts = new ConcurrentHashMap<>();

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
        return counts(owner)
                .admit(
                        clock.instant(),
                        limits.rpm().orElse(MinuteCounts.NONE),
                        limits.tpm().orElse(MinuteCounts.NONE),
                        limits.maxParallel().isPresent() ? limits.maxParallel().getAsInt() : MinuteCounts.NONE);
    }

    @Override
    public void addTokens(String owner, long tokens) {
        counts(owner).addTokens(clock.instant(), tokens);
    }

    private MinuteCounts counts(String owner) {
        return counts.computeIfAbsent(owner, k -> new MinuteCounts());
    }
}
