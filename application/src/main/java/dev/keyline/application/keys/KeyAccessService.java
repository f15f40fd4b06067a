package dev.keyline.application.keys;

import dev.keyline.domain.keys.KeyCheck;
import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.KeyRefusal;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.in.Caller;
import dev.keyline.ports.in.Hop;
import dev.keyline.ports.in.KeyAccessUseCase;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.KeyCounters;
import dev.keyline.ports.out.KeyStore;
import dev.keyline.ports.out.SpendLog;
import dev.keyline.ports.out.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Virtual keys on the request path. A presented key is hashed and looked up in the store once per {@link #CACHE_LIFE}
 * (a revocation reaches every replica within it); budgets are checked against counters, not the database; a finished
 * request's cost goes to the counters at once and to the spend log in its writer's next batch.
 */
public final class KeyAccessService implements KeyAccessUseCase {

    /** How long a key looked up stays trusted before it is read again. */
    static final Duration CACHE_LIFE = Duration.ofSeconds(10);

    private static final int CACHE_MAX = 10_000;

    private final KeyStore store;
    private final KeyCounters counters;
    private final SpendLog spendLog;
    private final PriceBook prices;
    private final Telemetry telemetry;
    private final InstantSource clock;
    private final BudgetCounters budgets;
    private final ConcurrentHashMap<KeyHash, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Caller.KeyHolder holder, Instant until) {}

    /**
     * @param spendLog where finished requests are written; a batching writer, so this returns at once
     */
    public KeyAccessService(
            KeyStore store,
            KeyCounters counters,
            SpendLog spendLog,
            PriceBook prices,
            Telemetry telemetry,
            InstantSource clock) {
        this.store = Objects.requireNonNull(store, "'store' must not be null");
        this.counters = Objects.requireNonNull(counters, "'counters' must not be null");
        this.spendLog = Objects.requireNonNull(spendLog, "'spendLog' must not be null");
        this.prices = Objects.requireNonNull(prices, "'prices' must not be null");
        this.telemetry = Objects.requireNonNull(telemetry, "'telemetry' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.budgets = new BudgetCounters(counters, spendLog, clock);
    }

    @Override
    public Optional<Caller.KeyHolder> authenticate(String presented) {
        KeyHash hash = KeyHash.of(presented);
        Instant now = clock.instant();
        Cached cached = cache.get(hash);
        if (cached != null && now.isBefore(cached.until())) {
            return Optional.of(cached.holder());
        }
        Optional<VirtualKey> key = store.find(hash);
        if (key.isEmpty()) {
            cache.remove(hash);
            return Optional.empty();
        }
        Optional<Team> team = key.get().teamId().flatMap(store::team);
        Caller.KeyHolder holder = new Caller.KeyHolder(key.get(), team);
        if (cache.size() >= CACHE_MAX) {
            cache.clear();
        }
        cache.put(hash, new Cached(holder, now.plus(CACHE_LIFE)));
        return Optional.of(holder);
    }

    /** @return the budget counters this service reads, shared with the operator's view of the same keys */
    BudgetCounters budgets() {
        return budgets;
    }

    /** Forgets every key looked up, so a change made here applies on this replica at once. */
    void forget() {
        cache.clear();
    }

    @Override
    public Access admit(Caller caller, String modelGroup) {
        return switch (caller) {
            case Caller.Operator operator -> Access.OPEN;
            case Caller.KeyHolder holder -> admit(holder, modelGroup);
        };
    }

    private Access admit(Caller.KeyHolder holder, String modelGroup) {
        VirtualKey key = holder.key();
        Usd teamSpent = holder.team().map(budgets::spent).orElse(Usd.ZERO);
        Optional<KeyRefusal> refusal =
                KeyCheck.check(key, holder.team(), modelGroup, clock.instant(), budgets.spent(key), teamSpent);
        if (refusal.isPresent()) {
            return refused(holder, refusal.get());
        }
        Runnable leaveKey = () -> {};
        if (key.grant().limits().any()) {
            switch (counters.admit(BudgetCounters.owner(key), key.grant().limits())) {
                case Admission.Admitted admitted -> leaveKey = admitted.leave();
                case Admission.AtLimit limit -> {
                    return refused(holder, atLimit("key '" + key.label() + "'", limit));
                }
            }
        }
        Runnable leaveTeam = () -> {};
        if (holder.team().isPresent() && holder.team().get().grant().limits().any()) {
            Team team = holder.team().get();
            Limits limits = team.grant().limits();
            switch (counters.admit(BudgetCounters.owner(team), limits)) {
                case Admission.Admitted admitted -> leaveTeam = admitted.leave();
                case Admission.AtLimit limit -> {
                    leaveKey.run();
                    return refused(holder, atLimit("team '" + team.label() + "'", limit));
                }
            }
        }
        Runnable key1 = leaveKey;
        Runnable team1 = leaveTeam;
        return new Access.Granted(() -> {
            key1.run();
            team1.run();
        });
    }

    private static KeyRefusal atLimit(String owner, Admission.AtLimit limit) {
        String name = switch (limit.limit()) {
            case REQUESTS_PER_MINUTE -> "rpm_limit";
            case TOKENS_PER_MINUTE -> "tpm_limit";
            case PARALLEL_REQUESTS -> "max_parallel_requests";
        };
        return new KeyRefusal.AtLimit(owner, name, limit.retryIn());
    }

    private Access refused(Caller.KeyHolder holder, KeyRefusal refusal) {
        telemetry.keyRefused(holder.key().label(), holder.teamLabel(), refusal.reason());
        return new Access.Refused(refusal);
    }

    @Override
    public void finished(
            Caller caller,
            String requestId,
            String modelGroup,
            String deployment,
            int status,
            List<Hop> hops,
            int searches) {
        // Requests that called no upstream (refused, malformed) cost nothing and are not logged: a flood of them
        // must not become a flood of database writes. Their refusals are counted in the metrics.
        if (!(caller instanceof Caller.KeyHolder holder) || hops.isEmpty()) {
            return;
        }
        VirtualKey key = holder.key();
        Usd cost = prices.cost(hops, searches);
        long input = 0;
        long output = 0;
        for (Hop hop : hops) {
            input += hop.inputTokens();
            output += hop.outputTokens();
        }
        if (cost.nanos() > 0) {
            budgets.add(key, cost);
            holder.team().ifPresent(team -> budgets.add(team, cost));
        }
        if (input + output > 0) {
            if (key.grant().limits().tpm().isPresent()) {
                counters.addTokens(BudgetCounters.owner(key), input + output);
            }
            Optional<Team> team = holder.team();
            if (team.isPresent() && team.get().grant().limits().tpm().isPresent()) {
                counters.addTokens(BudgetCounters.owner(team.get()), input + output);
            }
        }
        telemetry.spent(key.label(), holder.teamLabel(), cost);
        spendLog.append(List.of(new SpendEntry(
                // Unique, not secret: ThreadLocalRandom, not the shared SecureRandom that randomUUID() locks.
                new UUID(
                                ThreadLocalRandom.current().nextLong(),
                                ThreadLocalRandom.current().nextLong())
                        .toString(),
                requestId,
                Optional.of(key.hash()),
                key.label(),
                key.teamId(),
                modelGroup,
                deployment,
                input,
                output,
                searches,
                cost,
                status,
                clock.instant())));
    }
}
