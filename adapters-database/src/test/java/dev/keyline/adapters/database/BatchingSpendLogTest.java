package dev.keyline.adapters.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyline.adapters.database.testing.LocalPostgres;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.out.SpendLog;
import dev.keyline.ports.out.Telemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The spend log's writer against a PostgreSQL that stops mid-run and comes back: nothing is lost. */
class BatchingSpendLogTest {

    private static final class Backlog implements Telemetry {
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger highest = new AtomicInteger();
        final AtomicLong dropped = new AtomicLong();

        @Override
        public void spendBacklog(int pending, long dropped) {
            this.pending.set(pending);
            this.highest.accumulateAndGet(pending, Math::max);
            this.dropped.addAndGet(dropped);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private static List<SpendEntry> entries(VirtualKey key, int from, int count) {
        return java.util.stream.IntStream.range(from, from + count)
                .mapToObj(i -> KeyStoreContract.spend("e" + i, key, "kimi", 1, KeyStoreContract.T0.plusSeconds(i)))
                .toList();
    }

    @Test
    void entriesWrittenWhileTheDatabaseIsAwayAreHeldCountedAndWrittenWhenItReturns() throws Exception {
        assumeTrue(LocalPostgres.binaries().isPresent(), LocalPostgres.MISSING);
        VirtualKey key = KeyStoreContract.key("sk-kl-batch-bbbbbbbb", "batch", Optional.empty());
        Backlog backlog = new Backlog();
        // The module's shared server: stopped and started again here, as an outage would, and left running.
        LocalPostgres pg = LocalPostgres.shared();
        try (Database db = Database.open(DatabaseUrl.parse(pg.newDatabase(), Path.of(".")))) {
            JdbcSpendLog direct = new JdbcSpendLog(db);
            BatchingSpendLog batching = new BatchingSpendLog(direct, backlog, 10_000);
            try {
                batching.append(entries(key, 0, 50));
                await(() -> batching.pending() == 0, "the first entries to be written");
                assertEquals(50, direct.entries(SpendLog.Query.all(1000)).size());

                pg.stop();
                batching.append(entries(key, 50, 70));
                await(() -> backlog.highest.get() >= 70, "the writer to report entries held");
                assertEquals(70, batching.pending(), "held, not written, not dropped");

                pg.restart();
                await(() -> batching.pending() == 0, "the held entries to be written");
                assertEquals(120, direct.entries(SpendLog.Query.all(1000)).size());
                assertEquals(0, batching.dropped());
                assertEquals(0, backlog.dropped.get());
            } finally {
                batching.close(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aFullQueueGivesUpTheOldestAndCountsThemAndStopWritesWhatIsLeft() throws Exception {
        VirtualKey key = KeyStoreContract.key("sk-kl-full-ffffffff", "full", Optional.empty());
        Backlog backlog = new Backlog();
        Path dir = java.nio.file.Files.createTempDirectory("keyline-batch-");
        try (Database db = Database.open(new DatabaseUrl.Sqlite(dir.resolve("keys.db")))) {
            JdbcSpendLog direct = new JdbcSpendLog(db);
            AtomicInteger refusals = new AtomicInteger(1);
            SpendLog away = new SpendLog() {
                @Override
                public void append(List<SpendEntry> entries) {
                    if (refusals.get() > 0) {
                        throw new dev.keyline.ports.out.StoreException("database away", null);
                    }
                    direct.append(entries);
                }

                @Override
                public List<SpendEntry> entries(Query query) {
                    return direct.entries(query);
                }

                @Override
                public dev.keyline.domain.keys.Usd spentByKey(
                        dev.keyline.domain.keys.KeyHash k, java.time.Instant since) {
                    return direct.spentByKey(k, since);
                }

                @Override
                public dev.keyline.domain.keys.Usd spentByTeam(String teamId, java.time.Instant since) {
                    return direct.spentByTeam(teamId, since);
                }

                @Override
                public List<Bucket> buckets(
                        java.time.Instant from, java.time.Instant to, Duration width, Dimension by) {
                    return direct.buckets(from, to, width, by);
                }

                @Override
                public List<KeyTotal> keyTotals() {
                    return direct.keyTotals();
                }
            };
            BatchingSpendLog batching = new BatchingSpendLog(away, backlog, 10);
            batching.append(entries(key, 0, 15));
            assertEquals(10, batching.pending());
            assertEquals(5, batching.dropped());
            refusals.set(0);
            batching.close(Duration.ofSeconds(5));
            assertEquals(
                    List.of("e14", "e13", "e12", "e11", "e10", "e9", "e8", "e7", "e6", "e5"),
                    direct.entries(SpendLog.Query.all(100)).stream()
                            .map(SpendEntry::id)
                            .toList(),
                    "the newest ten written at stop");
            assertEquals(5, backlog.dropped.get(), "the five given up reach the metric");
        }
    }
}
