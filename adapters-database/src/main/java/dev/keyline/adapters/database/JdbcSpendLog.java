package dev.keyline.adapters.database;

import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.Usd;
import dev.keyline.ports.out.SpendLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The spend log in the {@code keyline_spend} table; a batch is one transaction. */
public final class JdbcSpendLog implements SpendLog {

    private static final String COLUMNS = "entry_id, request_id, key_hash, key_alias, team_id, model_group, "
            + "deployment, input_tokens, output_tokens, searches, cost_nanos, status, at_ms";

    private final Database db;

    public JdbcSpendLog(Database db) {
        this.db = Objects.requireNonNull(db, "'db' must not be null");
    }

    @Override
    public void append(List<SpendEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        db.work("could not write the spend log", c -> {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO keyline_spend (" + COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (entry_id) DO NOTHING")) {
                for (SpendEntry e : entries) {
                    st.setString(1, e.id());
                    st.setString(2, e.requestId());
                    GrantColumns.setString(st, 3, e.key().map(KeyHash::hex));
                    st.setString(4, e.keyAlias());
                    GrantColumns.setString(st, 5, e.teamId());
                    st.setString(6, e.modelGroup());
                    st.setString(7, e.deployment());
                    st.setLong(8, e.inputTokens());
                    st.setLong(9, e.outputTokens());
                    st.setInt(10, e.searches());
                    st.setLong(11, e.cost().nanos());
                    st.setInt(12, e.status());
                    st.setLong(13, e.at().toEpochMilli());
                    st.addBatch();
                }
                st.executeBatch();
                c.commit();
                return null;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public List<SpendEntry> entries(Query query) {
        if (!db.exists()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM keyline_spend WHERE 1 = 1");
        query.key().ifPresent(k -> {
            sql.append(" AND key_hash = ?");
            args.add(k.hex());
        });
        query.teamId().ifPresent(t -> {
            sql.append(" AND team_id = ?");
            args.add(t);
        });
        query.modelGroup().ifPresent(g -> {
            sql.append(" AND model_group = ?");
            args.add(g);
        });
        query.from().ifPresent(f -> {
            sql.append(" AND at_ms >= ?");
            args.add(f.toEpochMilli());
        });
        query.to().ifPresent(t -> {
            sql.append(" AND at_ms < ?");
            args.add(t.toEpochMilli());
        });
        sql.append(" ORDER BY at_ms DESC, entry_id LIMIT ").append(query.limit());
        return db.work("could not read the spend log", c -> {
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                bind(st, args);
                List<SpendEntry> entries = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        entries.add(read(rs));
                    }
                }
                return entries;
            }
        });
    }

    private static void bind(PreparedStatement st, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case String s -> st.setString(i + 1, s);
                case Long l -> st.setLong(i + 1, l);
                default -> throw new IllegalArgumentException("unexpected argument type");
            }
        }
    }

    private static SpendEntry read(ResultSet rs) throws SQLException {
        String hash = rs.getString("key_hash");
        return new SpendEntry(
                rs.getString("entry_id"),
                rs.getString("request_id"),
                Optional.ofNullable(hash).map(h -> new KeyHash(h.strip())),
                rs.getString("key_alias"),
                Optional.ofNullable(rs.getString("team_id")),
                rs.getString("model_group"),
                rs.getString("deployment"),
                rs.getLong("input_tokens"),
                rs.getLong("output_tokens"),
                rs.getInt("searches"),
                new Usd(rs.getLong("cost_nanos")),
                rs.getInt("status"),
                Instant.ofEpochMilli(rs.getLong("at_ms")));
    }

    @Override
    public Usd spentByKey(KeyHash key, Instant since) {
        return sum("key_hash", key.hex(), since);
    }

    @Override
    public Usd spentByTeam(String teamId, Instant since) {
        return sum("team_id", teamId, since);
    }

    private Usd sum(String column, String value, Instant since) {
        if (!db.exists()) {
            return Usd.ZERO;
        }
        return db.work("could not read the spend log", c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT COALESCE(SUM(cost_nanos), 0) FROM keyline_spend WHERE " + column + " = ? AND at_ms >= ?")) {
                st.setString(1, value);
                st.setLong(2, since.toEpochMilli());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return new Usd(rs.getLong(1));
                }
            }
        });
    }

    @Override
    public List<Bucket> buckets(Instant from, Instant to, Duration width, Dimension by) {
        if (!db.exists()) {
            return List.of();
        }
        String label = switch (by) {
            case KEY -> "key_alias";
            case TEAM -> "COALESCE(team_id, 'none')";
            case MODEL_GROUP -> "model_group";
        };
        long widthMs = Math.max(1, width.toMillis());
        long origin = from.toEpochMilli();
        String bucket = "((at_ms - " + origin + ") / " + widthMs + ")";
        String sql = "SELECT " + bucket + " AS b, " + label + " AS label, SUM(cost_nanos) AS cost FROM keyline_spend"
                + " WHERE at_ms >= ? AND at_ms < ? GROUP BY " + bucket + ", " + label + " ORDER BY b, label";
        return db.work("could not read the spend log", c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setLong(1, origin);
                st.setLong(2, to.toEpochMilli());
                List<Bucket> buckets = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        buckets.add(new Bucket(
                                Instant.ofEpochMilli(origin + rs.getLong("b") * widthMs),
                                rs.getString("label"),
                                new Usd(rs.getLong("cost"))));
                    }
                }
                return buckets;
            }
        });
    }

    @Override
    public List<KeyTotal> keyTotals() {
        if (!db.exists()) {
            return List.of();
        }
        return db.work("could not read the spend log", c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT key_hash, SUM(cost_nanos) AS cost, COUNT(*) AS n, "
                    + "MAX(at_ms) AS last FROM keyline_spend WHERE key_hash IS NOT NULL GROUP BY key_hash")) {
                List<KeyTotal> totals = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        totals.add(new KeyTotal(
                                new KeyHash(rs.getString("key_hash").strip()),
                                new Usd(rs.getLong("cost")),
                                rs.getLong("n"),
                                Instant.ofEpochMilli(rs.getLong("last"))));
                    }
                }
                return totals;
            }
        });
    }
}
