package dev.keyline.application.keys;

import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.out.KeyCounters;
import dev.keyline.ports.out.SpendLog;
import dev.keyline.ports.out.StoreException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The spend of keys and teams in their current budget period, read from the counters. The first time this process
 * reads an owner's period, the counter is seeded from the spend log (set only if absent), so budgets survive a restart
 * with one database read per owner and period, not one per request.
 */
final class BudgetCounters {

    private static final System.Logger LOG = System.getLogger(BudgetCounters.class.getName());

    private final KeyCounters counters;
    private final SpendLog log;
    private final InstantSource clock;
    private final Set<String> seeded = ConcurrentHashMap.newKeySet();

    BudgetCounters(KeyCounters counters, SpendLog log, InstantSource clock) {
        this.counters = Objects.requireNonNull(counters, "'counters' must not be null");
        this.log = Objects.requireNonNull(log, "'log' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    static String owner(VirtualKey key) {
        return "key:" + key.hash().hex();
    }

    static String owner(Team team) {
        return "team:" + team.id();
    }

    Budget.Window window(VirtualKey key) {
        return key.grant().budget().window(key.created(), clock.instant());
    }

    Budget.Window window(Team team) {
        return team.grant().budget().window(team.created(), clock.instant());
    }

    Usd spent(VirtualKey key) {
        Budget.Window window = window(key);
        String owner = owner(key);
        seed(owner, window, key.grant().budget(), key.created(), since -> log.spentByKey(key.hash(), since));
        return counters.spent(owner, window);
    }

    Usd spent(Team team) {
        Budget.Window window = window(team);
        String owner = owner(team);
        seed(owner, window, team.grant().budget(), team.created(), since -> log.spentByTeam(team.id(), since));
        return counters.spent(owner, window);
    }

    void add(VirtualKey key, Usd cost) {
        counters.addSpend(owner(key), window(key), cost);
    }

    void add(Team team, Usd cost) {
        counters.addSpend(owner(team), window(team), cost);
    }

    private void seed(
            String owner, Budget.Window window, Budget budget, Instant created, Function<Instant, Usd> spentSince) {
        String mark = owner + "#" + window.index();
        if (seeded.contains(mark)) {
            return;
        }
        Instant since = budget.period()
                .map(p -> created.plusSeconds(window.index() * p.toSeconds()))
                .orElse(Instant.EPOCH);
        try {
            counters.seedSpend(owner, window, spentSince.apply(since));
            seeded.add(mark);
        } catch (StoreException e) {
            // The log is away: the counters go on from what they hold, and the seed is tried again next time.
            LOG.log(System.Logger.Level.WARNING, "budget counter not seeded from the spend log: {0}", e.getMessage());
        }
    }
}
