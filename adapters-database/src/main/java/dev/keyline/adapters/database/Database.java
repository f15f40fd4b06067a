package dev.keyline.adapters.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keyline.ports.out.StoreException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import org.flywaydb.core.Flyway;

/**
 * A pooled connection to the keys database, migrated to the current schema when it opens. An embedded SQLite file
 * may be opened lazily: until the first write, a file that does not exist reads as empty and is not created, so a
 * gateway that never issues a key leaves no file behind.
 */
public final class Database implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final DatabaseUrl url;
    private volatile HikariDataSource pool;

    private Database(DatabaseUrl url) {
        this.url = Objects.requireNonNull(url, "'url' must not be null");
    }

    /**
     * Connects and migrates now.
     *
     * @throws IllegalStateException with one line saying why the database cannot be used
     */
    public static Database open(DatabaseUrl url) {
        Database db = new Database(url);
        db.pool();
        return db;
    }

    /** Opens on the first write, or the first read once the file exists. */
    public static Database lazy(DatabaseUrl.Sqlite url) {
        return new Database(url);
    }

    public DatabaseUrl url() {
        return url;
    }

    /** @return whether there is anything to read: the database is open, or its file exists */
    public boolean exists() {
        return pool != null || !(url instanceof DatabaseUrl.Sqlite sqlite) || Files.exists(sqlite.file());
    }

    /** @return a pooled connection, opening (and migrating) the database first if needed */
    public Connection connection() throws SQLException {
        return pool().getConnection();
    }

    /** Work on one pooled connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs work on a pooled connection, its failures as store errors that name what failed and hold no key hash.
     *
     * @param what what the work does, for the error, e.g. {@code could not store the key}
     */
    <T> T work(String what, Work<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            if (SqlErrors.isConflict(e)) {
                throw new StoreException.Conflict(what + ": the alias or id is already taken");
            }
            throw SqlErrors.failed(what, e);
        }
    }

    public boolean isPostgres() {
        return url instanceof DatabaseUrl.Postgres;
    }

    private HikariDataSource pool() {
        HikariDataSource open = pool;
        if (open != null) {
            return open;
        }
        synchronized (this) {
            if (pool == null) {
                pool = start();
            }
            return pool;
        }
    }

    private HikariDataSource start() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("keyline-keys");
        config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        config.setInitializationFailTimeout(Duration.ofSeconds(10).toMillis());
        switch (url) {
            case DatabaseUrl.Sqlite sqlite -> {
                try {
                    Files.createDirectories(sqlite.file().getParent());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(
                            "cannot create the folder of the keys database " + sqlite.file() + ": " + e.getMessage());
                }
                config.setJdbcUrl(sqlite.jdbc());
                // One writer at a time is SQLite's rule; a small pool with WAL lets reads go beside it.
                config.setMaximumPoolSize(4);
                config.addDataSourceProperty("journal_mode", "WAL");
                config.addDataSourceProperty("busy_timeout", "5000");
                config.addDataSourceProperty("synchronous", "NORMAL");
            }
            case DatabaseUrl.Postgres postgres -> {
                config.setJdbcUrl(postgres.jdbc());
                postgres.user().ifPresent(config::setUsername);
                postgres.password().ifPresent(config::setPassword);
                config.setMaximumPoolSize(8);
                // Without it the driver writes a failed batch's values (key hashes among them) into exceptions.
                config.addDataSourceProperty("logServerErrorDetail", "false");
            }
        }
        HikariDataSource source;
        try {
            source = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot connect to the keys database " + url.describe() + ": " + SqlErrors.rootMessage(e));
        }
        try {
            Flyway.configure()
                    .dataSource(source)
                    .locations("classpath:db/migration")
                    .table("keyline_schema_history")
                    .baselineOnMigrate(false)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            source.close();
            throw new IllegalStateException(
                    "cannot migrate the keys database " + url.describe() + ": " + SqlErrors.rootMessage(e));
        }
        LOG.log(Level.INFO, "keys database open: {0}", url.describe());
        return source;
    }

    @Override
    public void close() {
        HikariDataSource open = pool;
        if (open != null) {
            open.close();
        }
    }
}
