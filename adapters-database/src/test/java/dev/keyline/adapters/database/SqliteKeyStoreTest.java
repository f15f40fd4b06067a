package dev.keyline.adapters.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.keys.KeyHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an embedded SQLite file, and its lazy opening. */
class SqliteKeyStoreTest extends KeyStoreContract {

    @TempDir
    static Path dir;

    private static int count;

    @Override
    DatabaseUrl newDatabase() {
        return DatabaseUrl.parse("sqlite:db" + ++count + "/keys.db", dir);
    }

    @Test
    void aLazyDatabaseReadsEmptyWithoutCreatingItsFileAndOpensOnTheFirstWrite() {
        Path file = dir.resolve("lazy/keys.db");
        try (Database lazy = Database.lazy(new DatabaseUrl.Sqlite(file))) {
            JdbcKeyStore keys = new JdbcKeyStore(lazy);
            assertEquals(Optional.empty(), keys.find(KeyHash.of("sk-kl-anything")));
            assertEquals(List.of(), keys.keys(Optional.empty()));
            assertEquals(List.of(), new JdbcSpendLog(lazy).keyTotals());
            assertFalse(Files.exists(file), "nothing read creates the file");
            keys.create(key("sk-kl-lazy-llllllll", "lazy", Optional.empty()));
            assertTrue(Files.exists(file));
            assertTrue(keys.findByAlias("lazy").isPresent());
        }
    }
}
