package dev.keyline.app;

import dev.keyline.adapters.database.BatchingSpendLog;
import dev.keyline.adapters.database.Database;
import dev.keyline.adapters.database.DatabaseUrl;
import dev.keyline.adapters.database.JdbcKeyStore;
import dev.keyline.adapters.database.JdbcSpendLog;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.config.KeySettings;
import dev.keyline.app.search.SearchEngines;
import dev.keyline.application.keys.KeyAccessService;
import dev.keyline.application.keys.KeyAdminService;
import dev.keyline.application.keys.PriceBook;
import dev.keyline.domain.keys.TokenPrices;
import dev.keyline.ports.in.KeyAccessUseCase;
import dev.keyline.ports.in.KeyAdminUseCase;
import dev.keyline.ports.out.KeyCounters;
import dev.keyline.ports.out.Telemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Virtual keys, wired: the database (the configured one, opened and migrated now, or the embedded file, opened when
 * the first key is made), the spend log's writer, and the two use cases. {@link #close} writes the spend not yet
 * written, then closes the database.
 *
 * @param access the request path's use case ({@link KeyAccessUseCase#NONE} when keys are off)
 * @param admin  the operator's, when keys are on
 */
record VirtualKeys(
        KeyAccessUseCase access,
        Optional<KeyAdminUseCase> admin,
        Optional<Database> database,
        Optional<BatchingSpendLog> writer)
        implements AutoCloseable {

    /** Entries the spend writer holds while the database is away, before it gives the oldest up. */
    static final int SPEND_BUFFER = 100_000;

    static VirtualKeys off() {
        return new VirtualKeys(KeyAccessUseCase.NONE, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * @throws IllegalStateException with one line when a configured database cannot be opened
     */
    static VirtualKeys of(GatewayConfig config, KeyCounters counters, Telemetry telemetry, InstantSource clock) {
        KeySettings settings = config.keys();
        if (!settings.enabled()) {
            return off();
        }
        Database database = settings.databaseUrl()
                .map(url -> Database.open(
                        DatabaseUrl.parse(url, settings.embeddedFile().getParent())))
                .orElseGet(() -> Database.lazy(new DatabaseUrl.Sqlite(settings.embeddedFile())));
        BatchingSpendLog writer = new BatchingSpendLog(new JdbcSpendLog(database), telemetry, SPEND_BUFFER);
        JdbcKeyStore store = new JdbcKeyStore(database);
        KeyAccessService access = new KeyAccessService(store, counters, writer, prices(config), telemetry, clock);
        KeyAdminService admin = new KeyAdminService(store, writer, clock, access);
        return new VirtualKeys(access, Optional.of(admin), Optional.of(database), Optional.of(writer));
    }

    private static PriceBook prices(GatewayConfig config) {
        Map<String, TokenPrices> tokens = new HashMap<>();
        config.prices().forEach((id, prices) -> tokens.put(id.value(), prices));
        return new PriceBook(tokens, SearchEngines.pricePerQuery(config));
    }

    /** @return where the keys are kept, for the start-up log; no password */
    String describe() {
        return database.map(db -> db.url().describe() + (db.exists() ? "" : " (created with the first key)"))
                .orElse("off");
    }

    @Override
    public void close() {
        try {
            writer.ifPresent(w -> w.close(Duration.ofSeconds(10)));
        } finally {
            database.ifPresent(Database::close);
        }
    }

    /** @return the embedded file, when keys live in one */
    Optional<Path> embeddedFile() {
        return database.map(Database::url)
                .filter(DatabaseUrl.Sqlite.class::isInstance)
                .map(url -> ((DatabaseUrl.Sqlite) url).file());
    }
}
