package dev.keyline.adapters.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Grant;
import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.out.SpendLog;
import dev.keyline.ports.out.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.keyline.ports.out.KeyStore} and {@link SpendLog} on a database must do, run against SQLite
 * and PostgreSQL by the subclasses: the same migrations, the same answers.
 */
abstract class KeyStoreContract {

    /** Whole milliseconds, as the tables keep times. */
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private Database db;
    JdbcKeyStore store;
    JdbcSpendLog log;

    /** @return a URL of a new, empty database */
    abstract DatabaseUrl newDatabase();

    @BeforeEach
    void open() {
        db = Database.open(newDatabase());
        store = new JdbcKeyStore(db);
        log = new JdbcSpendLog(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static VirtualKey key(String secret, String alias, Optional<String> team) {
        return new VirtualKey(
                KeyHash.of(secret),
                secret.substring(0, 10) + "…",
                Optional.of(alias),
                new Grant(
                        Set.of("claude-sonnet", "kimi"),
                        new Budget(Optional.of(Usd.of("0.01")), Optional.of(Duration.ofDays(30))),
                        new Limits(OptionalLong.of(60), OptionalLong.empty(), OptionalInt.of(2))),
                team,
                Optional.of("ana@example.com"),
                "{\"cost_center\":\"42\"}",
                T0,
                Optional.of(T0.plus(Duration.ofDays(90))),
                false);
    }

    static SpendEntry spend(String id, VirtualKey key, String group, long cents, Instant at) {
        return new SpendEntry(
                id,
                "req-" + id,
                Optional.of(key.hash()),
                key.label(),
                key.teamId(),
                group,
                group + "-1",
                1000,
                200,
                2,
                Usd.of("0.01").times(cents),
                200,
                at);
    }

    @Test
    void aKeyComesBackAsItWasStoredFoundByItsHashOrAlias() {
        VirtualKey key = key("sk-kl-first-secret-aaaa", "ana-laptop", Optional.empty());
        store.create(key);
        assertEquals(Optional.of(key), store.find(KeyHash.of("sk-kl-first-secret-aaaa")));
        assertEquals(Optional.of(key), store.findByAlias("ana-laptop"));
        assertEquals(Optional.empty(), store.find(KeyHash.of("sk-kl-someone-else")));
        VirtualKey open = new VirtualKey(
                KeyHash.of("sk-kl-open"),
                "sk-kl-open…",
                Optional.empty(),
                Grant.OPEN,
                Optional.empty(),
                Optional.empty(),
                "{}",
                T0,
                Optional.empty(),
                false);
        store.create(open);
        assertEquals(Optional.of(open), store.find(open.hash()), "a key with nothing optional set");
    }

    @Test
    void onlyTheHashIsStoredNeverTheKey() throws Exception {
        String secret = "sk-kl-never-stored-" + UUID.randomUUID();
        store.create(key(secret, "svc", Optional.empty()));
        try (Connection c = db.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM keyline_keys")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    String value = rs.getString(i);
                    assertFalse(
                            value != null && value.contains(secret.substring(10)), "column " + i + " holds the key");
                }
            }
        }
    }

    @Test
    void aTakenAliasIsAConflictThatNamesNoHash() {
        store.create(key("sk-kl-one-1111111111", "shared-name", Optional.empty()));
        StoreException.Conflict conflict = assertThrows(
                StoreException.Conflict.class,
                () -> store.create(key("sk-kl-two-2222222222", "shared-name", Optional.empty())));
        assertFalse(conflict.getMessage().matches(".*[0-9a-f]{64}.*"), conflict.getMessage());
        assertThrows(
                StoreException.Conflict.class,
                () -> store.create(key("sk-kl-one-1111111111", "other-name", Optional.empty())),
                "the same key twice");
    }

    @Test
    void keysAreUpdatedListedByTeamAndDeleted() {
        store.create(new Team("platform", Optional.of("Platform"), Grant.OPEN, "{}", T0, false));
        VirtualKey a = key("sk-kl-a-aaaaaaaaaaa", "a", Optional.of("platform"));
        VirtualKey b = key("sk-kl-b-bbbbbbbbbbb", "b", Optional.empty());
        store.create(a);
        store.create(b);
        VirtualKey blocked = new VirtualKey(
                a.hash(),
                a.preview(),
                a.alias(),
                Grant.OPEN,
                a.teamId(),
                Optional.empty(),
                "{}",
                a.created(),
                Optional.empty(),
                true);
        assertTrue(store.update(blocked));
        assertEquals(Optional.of(blocked), store.find(a.hash()));
        assertEquals(List.of(blocked), store.keys(Optional.of("platform")));
        assertEquals(2, store.keys(Optional.empty()).size());
        assertTrue(store.delete(b.hash()));
        assertFalse(store.delete(b.hash()), "deleted already");
        assertFalse(store.update(b), "an update of a key that is gone changes nothing");
        assertEquals(List.of(blocked), store.keys(Optional.empty()));
    }

    @Test
    void teamsKeepTheirGrantAndADeletedTeamLeavesItsKeysWithoutOne() {
        Team team = new Team(
                "research",
                Optional.of("Research"),
                new Grant(
                        Set.of("claude-opus"),
                        new Budget(Optional.of(Usd.of("100")), Optional.of(Duration.ofDays(7))),
                        new Limits(OptionalLong.empty(), OptionalLong.of(100_000), OptionalInt.empty())),
                "{}",
                T0,
                false);
        store.create(team);
        assertThrows(StoreException.Conflict.class, () -> store.create(team));
        assertEquals(Optional.of(team), store.team("research"));
        Team renamed = new Team("research", Optional.of("R&D"), Grant.OPEN, "{\"x\":1}", T0, true);
        assertTrue(store.update(renamed));
        assertEquals(List.of(renamed), store.teams());
        store.create(key("sk-kl-r-rrrrrrrrrrr", "r", Optional.of("research")));
        assertTrue(store.deleteTeam("research"));
        assertEquals(Optional.empty(), store.team("research"));
        assertEquals(Optional.empty(), store.findByAlias("r").orElseThrow().teamId());
    }

    @Test
    void aBatchWrittenTwiceCountsOnceAndSpendIsSummedSinceAMoment() {
        VirtualKey a = key("sk-kl-a-aaaaaaaaaaa", "a", Optional.of("t1"));
        VirtualKey b = key("sk-kl-b-bbbbbbbbbbb", "b", Optional.empty());
        List<SpendEntry> batch = List.of(
                spend("1", a, "claude-sonnet", 1, T0.plusSeconds(10)),
                spend("2", a, "kimi", 2, T0.plusSeconds(3_700)),
                spend("3", b, "kimi", 4, T0.plusSeconds(3_800)));
        log.append(batch);
        log.append(batch);
        assertEquals(Usd.of("0.03"), log.spentByKey(a.hash(), T0));
        assertEquals(Usd.of("0.02"), log.spentByKey(a.hash(), T0.plusSeconds(11)));
        assertEquals(Usd.of("0.03"), log.spentByTeam("t1", T0));
        assertEquals(Usd.ZERO, log.spentByTeam("nobody", T0));
        assertEquals(
                List.of("3", "2", "1"),
                log.entries(SpendLog.Query.all(100)).stream()
                        .map(SpendEntry::id)
                        .toList(),
                "newest first");
        assertEquals(
                batch.get(1),
                log.entries(new SpendLog.Query(
                                Optional.of(a.hash()),
                                Optional.empty(),
                                Optional.of("kimi"),
                                Optional.empty(),
                                Optional.empty(),
                                10))
                        .getFirst());
        assertEquals(
                List.of("2"),
                log
                        .entries(new SpendLog.Query(
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(T0.plusSeconds(3_600)),
                                Optional.of(T0.plusSeconds(3_750)),
                                10))
                        .stream()
                        .map(SpendEntry::id)
                        .toList());
    }

    @Test
    void bucketsSumCostPerHourAndLabelAndTotalsNameTheLastUse() {
        VirtualKey a = key("sk-kl-a-aaaaaaaaaaa", "a", Optional.of("t1"));
        VirtualKey b = key("sk-kl-b-bbbbbbbbbbb", "b", Optional.empty());
        log.append(List.of(
                spend("1", a, "claude-sonnet", 1, T0.plusSeconds(10)),
                spend("2", a, "claude-sonnet", 2, T0.plusSeconds(20)),
                spend("3", b, "kimi", 4, T0.plusSeconds(3_800))));
        assertEquals(
                List.of(
                        new SpendLog.Bucket(T0, "a", Usd.of("0.03")),
                        new SpendLog.Bucket(T0.plusSeconds(3_600), "b", Usd.of("0.04"))),
                log.buckets(T0, T0.plusSeconds(7_200), Duration.ofHours(1), SpendLog.Dimension.KEY));
        assertEquals(
                List.of(
                        new SpendLog.Bucket(T0, "t1", Usd.of("0.03")),
                        new SpendLog.Bucket(T0.plusSeconds(3_600), "none", Usd.of("0.04"))),
                log.buckets(T0, T0.plusSeconds(7_200), Duration.ofHours(1), SpendLog.Dimension.TEAM));
        assertEquals(
                List.of(new SpendLog.Bucket(T0, "claude-sonnet", Usd.of("0.03"))),
                log.buckets(T0, T0.plusSeconds(3_600), Duration.ofHours(1), SpendLog.Dimension.MODEL_GROUP));
        SpendLog.KeyTotal totalA = log.keyTotals().stream()
                .filter(t -> t.key().equals(a.hash()))
                .findFirst()
                .orElseThrow();
        assertEquals(new SpendLog.KeyTotal(a.hash(), Usd.of("0.03"), 2, T0.plusSeconds(20)), totalA);
    }
}
