package dev.keyline.domain.keys;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a key may call a model group now, from what is known without counting: revocation, expiry, the
 * allowed groups and the spend so far in the current budget periods (rate limits are counted by a meter).
 */
public final class KeyCheck {

    private KeyCheck() {}

    /**
     * @param key        the key presented
     * @param team       its team, when it has one
     * @param group      the model group asked for
     * @param now        the time now
     * @param keySpent   the key's spend in its current budget period
     * @param teamSpent  the team's spend in its current budget period (zero without a team)
     * @return why it may not, or empty when it may
     */
    public static Optional<KeyRefusal> check(
            VirtualKey key, Optional<Team> team, String group, Instant now, Usd keySpent, Usd teamSpent) {
        String keyName = "key '" + key.label() + "'";
        if (key.blocked()) {
            return Optional.of(new KeyRefusal.Blocked(keyName));
        }
        if (key.expires().isPresent() && !now.isBefore(key.expires().get())) {
            return Optional.of(new KeyRefusal.Expired(key.label(), key.expires().get()));
        }
        if (team.isPresent() && team.get().blocked()) {
            return Optional.of(new KeyRefusal.Blocked("team '" + team.get().label() + "'"));
        }
        if (!key.grant().allows(group)) {
            return Optional.of(
                    new KeyRefusal.ModelNotAllowed(keyName, group, key.grant().models()));
        }
        if (team.isPresent() && !team.get().grant().allows(group)) {
            String teamName = "team '" + team.get().label() + "'";
            return Optional.of(new KeyRefusal.ModelNotAllowed(
                    teamName, group, team.get().grant().models()));
        }
        Optional<KeyRefusal> overKey = overBudget(keyName, key.grant().budget(), key.created(), now, keySpent);
        if (overKey.isPresent()) {
            return overKey;
        }
        return team.flatMap(
                t -> overBudget("team '" + t.label() + "'", t.grant().budget(), t.created(), now, teamSpent));
    }

    private static Optional<KeyRefusal> overBudget(
            String owner, Budget budget, Instant created, Instant now, Usd spent) {
        if (budget.max().isEmpty() || spent.compareTo(budget.max().get()) < 0) {
            return Optional.empty();
        }
        return Optional.of(new KeyRefusal.OverBudget(
                owner, budget.max().get(), spent, budget.window(created, now).resetsAt()));
    }
}
