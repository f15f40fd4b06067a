package dev.keyline.application.keys;

import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.in.KeyAdminUseCase;
import dev.keyline.ports.out.KeyStore;
import dev.keyline.ports.out.SpendLog;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The operator's keys, teams and spend. Keys are 256 random bits, shown once; only their hashes are stored. */
public final class KeyAdminService implements KeyAdminUseCase {

    /** Every key starts so, which secret scanners and people recognise. */
    public static final String KEY_PREFIX = "sk-kl-";

    private final KeyStore store;
    private final SpendLog spendLog;
    private final InstantSource clock;
    private final BudgetCounters budgets;
    private final KeyAccessService access;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param access the request path's key service, told to forget its cached keys after each change here; its budget
     *               counters (and what they have seeded) serve this view too
     */
    public KeyAdminService(KeyStore store, SpendLog spendLog, InstantSource clock, KeyAccessService access) {
        this.store = Objects.requireNonNull(store, "'store' must not be null");
        this.spendLog = Objects.requireNonNull(spendLog, "'spendLog' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.access = Objects.requireNonNull(access, "'access' must not be null");
        this.budgets = access.budgets();
    }

    @Override
    public Generated generate(KeySpec spec) {
        spec.teamId().ifPresent(this::requireTeam);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        VirtualKey key = new VirtualKey(
                KeyHash.of(secret),
                secret.substring(0, KEY_PREFIX.length() + 4) + "…",
                spec.alias(),
                spec.grant(),
                spec.teamId(),
                spec.userId(),
                spec.metadata(),
                now,
                spec.lifetime().map(now::plus),
                false);
        store.create(key);
        return new Generated(secret, key);
    }

    private void requireTeam(String teamId) {
        if (store.team(teamId).isEmpty()) {
            throw new IllegalArgumentException("no team '" + teamId + "'; create it with POST /team/new first");
        }
    }

    private static KeyHash hashOf(String keyOrHash) {
        return KeyHash.looksLikeHash(keyOrHash) ? new KeyHash(keyOrHash) : KeyHash.of(keyOrHash);
    }

    @Override
    public Optional<KeyView> key(String keyOrHash) {
        return store.find(hashOf(keyOrHash)).map(key -> view(key, totals()));
    }

    private Map<KeyHash, SpendLog.KeyTotal> totals() {
        Map<KeyHash, SpendLog.KeyTotal> totals = new HashMap<>();
        spendLog.keyTotals().forEach(t -> totals.put(t.key(), t));
        return totals;
    }

    private KeyView view(VirtualKey key, Map<KeyHash, SpendLog.KeyTotal> totals) {
        SpendLog.KeyTotal total = totals.get(key.hash());
        return new KeyView(
                key,
                budgets.spent(key),
                budgets.window(key),
                total == null ? Usd.ZERO : total.cost(),
                total == null ? 0 : total.requests(),
                Optional.ofNullable(total).map(SpendLog.KeyTotal::lastUsed));
    }

    @Override
    public void replace(VirtualKey key) {
        key.teamId().ifPresent(this::requireTeam);
        if (!store.update(key)) {
            throw new IllegalArgumentException("no such key");
        }
        access.forget();
    }

    @Override
    public int delete(List<String> keysOrHashes) {
        int deleted = 0;
        for (String ref : keysOrHashes) {
            deleted += store.delete(hashOf(ref)) ? 1 : 0;
        }
        access.forget();
        return deleted;
    }

    @Override
    public int deleteByAlias(List<String> aliases) {
        int deleted = 0;
        for (String alias : aliases) {
            Optional<VirtualKey> key = store.findByAlias(alias);
            if (key.isPresent() && store.delete(key.get().hash())) {
                deleted++;
            }
        }
        access.forget();
        return deleted;
    }

    @Override
    public List<KeyView> keys(Optional<String> teamId) {
        Map<KeyHash, SpendLog.KeyTotal> totals = totals();
        return store.keys(teamId).stream().map(k -> view(k, totals)).toList();
    }

    @Override
    public void create(Team team) {
        store.create(team);
    }

    @Override
    public Optional<TeamView> team(String id) {
        return store.team(id).map(this::view);
    }

    private TeamView view(Team team) {
        return new TeamView(
                team,
                budgets.spent(team),
                budgets.window(team),
                store.keys(Optional.of(team.id())).size());
    }

    @Override
    public void replace(Team team) {
        if (!store.update(team)) {
            throw new IllegalArgumentException("no team '" + team.id() + "'");
        }
        access.forget();
    }

    @Override
    public boolean deleteTeam(String id) {
        boolean deleted = store.deleteTeam(id);
        access.forget();
        return deleted;
    }

    @Override
    public List<TeamView> teams() {
        return store.teams().stream().map(this::view).toList();
    }

    @Override
    public List<SpendEntry> spend(SpendLog.Query query) {
        return spendLog.entries(query);
    }

    @Override
    public List<SpendLog.Bucket> chart(Instant from, Instant to, Duration width, SpendLog.Dimension by) {
        return spendLog.buckets(from, to, width, by);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }
}
