package dev.keyline.adapters.database;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyline.adapters.database.testing.LocalPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** The contract on Debian's PostgreSQL server, started for the tests on a free port. */
class PostgresKeyStoreTest extends KeyStoreContract {

    @BeforeAll
    static void server() {
        assumeTrue(LocalPostgres.binaries().isPresent(), LocalPostgres.MISSING);
    }

    @Override
    DatabaseUrl newDatabase() {
        return DatabaseUrl.parse(LocalPostgres.shared().newDatabase(), Path.of("."));
    }
}
