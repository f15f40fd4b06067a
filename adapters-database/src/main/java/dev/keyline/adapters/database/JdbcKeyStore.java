package dev.keyline.adapters.database;

import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.out.KeyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Keys and teams in the {@code keyline_keys} and {@code keyline_teams} tables. */
public final class JdbcKeyStore implements KeyStore {

    private static final String KEY_COLUMNS = "key_hash, preview, key_alias, " + GrantColumns.NAMES
            + ", team_id, user_id, metadata, created_ms, expires_ms, blocked";
    private static final String TEAM_COLUMNS =
            "team_id, team_alias, " + GrantColumns.NAMES + ", metadata, created_ms, blocked";

    private final Database db;

    public JdbcKeyStore(Database db) {
        this.db = Objects.requireNonNull(db, "'db' must not be null");
    }

    @Override
    public void create(VirtualKey key) {
        db.work("could not store the key", c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO keyline_keys (" + KEY_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                bindKey(st, key);
                return st.executeUpdate();
            }
        });
    }

    private static void bindKey(PreparedStatement st, VirtualKey key) throws SQLException {
        st.setString(1, key.hash().hex());
        st.setString(2, key.preview());
        GrantColumns.setString(st, 3, key.alias());
        int i = GrantColumns.bind(st, 4, key.grant());
        GrantColumns.setString(st, i++, key.teamId());
        GrantColumns.setString(st, i++, key.userId());
        st.setString(i++, key.metadata());
        st.setLong(i++, key.created().toEpochMilli());
        GrantColumns.setLong(st, i++, key.expires().map(Instant::toEpochMilli));
        st.setInt(i, key.blocked() ? 1 : 0);
    }

    @Override
    public Optional<VirtualKey> find(KeyHash hash) {
        return oneKey("key_hash", hash.hex());
    }

    @Override
    public Optional<VirtualKey> findByAlias(String alias) {
        return oneKey("key_alias", alias);
    }

    private Optional<VirtualKey> oneKey(String column, String value) {
        if (!db.exists()) {
            return Optional.empty();
        }
        return db.work("could not read the key", c -> {
            try (PreparedStatement st =
                    c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM keyline_keys WHERE " + column + " = ?")) {
                st.setString(1, value);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(readKey(rs)) : Optional.empty();
                }
            }
        });
    }

    private static VirtualKey readKey(ResultSet rs) throws SQLException {
        return new VirtualKey(
                new KeyHash(rs.getString("key_hash").strip()),
                rs.getString("preview"),
                Optional.ofNullable(rs.getString("key_alias")),
                GrantColumns.read(rs),
                Optional.ofNullable(rs.getString("team_id")),
                Optional.ofNullable(rs.getString("user_id")),
                rs.getString("metadata"),
                Instant.ofEpochMilli(rs.getLong("created_ms")),
                GrantColumns.optLong(rs, "expires_ms").map(Instant::ofEpochMilli),
                rs.getInt("blocked") != 0);
    }

    @Override
    public boolean update(VirtualKey key) {
        if (!db.exists()) {
            return false;
        }
        return db.work("could not update the key", c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE keyline_keys SET preview = ?, key_alias = ?, "
                    + "models = ?, max_budget_nanos = ?, budget_duration_s = ?, rpm_limit = ?, tpm_limit = ?, "
                    + "max_parallel = ?, team_id = ?, user_id = ?, metadata = ?, created_ms = ?, expires_ms = ?, "
                    + "blocked = ? WHERE key_hash = ?")) {
                st.setString(1, key.preview());
                GrantColumns.setString(st, 2, key.alias());
                int i = GrantColumns.bind(st, 3, key.grant());
                GrantColumns.setString(st, i++, key.teamId());
                GrantColumns.setString(st, i++, key.userId());
                st.setString(i++, key.metadata());
                st.setLong(i++, key.created().toEpochMilli());
                GrantColumns.setLong(st, i++, key.expires().map(Instant::toEpochMilli));
                st.setInt(i++, key.blocked() ? 1 : 0);
                st.setString(i, key.hash().hex());
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(KeyHash hash) {
        if (!db.exists()) {
            return false;
        }
        return db.work("could not delete the key", c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM keyline_keys WHERE key_hash = ?")) {
                st.setString(1, hash.hex());
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<VirtualKey> keys(Optional<String> teamId) {
        if (!db.exists()) {
            return List.of();
        }
        return db.work("could not list the keys", c -> {
            String sql = "SELECT " + KEY_COLUMNS + " FROM keyline_keys"
                    + (teamId.isPresent() ? " WHERE team_id = ?" : "") + " ORDER BY created_ms, key_alias";
            try (PreparedStatement st = c.prepareStatement(sql)) {
                if (teamId.isPresent()) {
                    st.setString(1, teamId.get());
                }
                List<VirtualKey> keys = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        keys.add(readKey(rs));
                    }
                }
                return keys;
            }
        });
    }

    @Override
    public void create(Team team) {
        db.work("could not store the team", c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO keyline_teams (" + TEAM_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                st.setString(1, team.id());
                GrantColumns.setString(st, 2, team.alias());
                int i = GrantColumns.bind(st, 3, team.grant());
                st.setString(i++, team.metadata());
                st.setLong(i++, team.created().toEpochMilli());
                st.setInt(i, team.blocked() ? 1 : 0);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Team> team(String id) {
        if (!db.exists()) {
            return Optional.empty();
        }
        return db.work("could not read the team", c -> {
            try (PreparedStatement st =
                    c.prepareStatement("SELECT " + TEAM_COLUMNS + " FROM keyline_teams WHERE team_id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(readTeam(rs)) : Optional.empty();
                }
            }
        });
    }

    private static Team readTeam(ResultSet rs) throws SQLException {
        return new Team(
                rs.getString("team_id"),
                Optional.ofNullable(rs.getString("team_alias")),
                GrantColumns.read(rs),
                rs.getString("metadata"),
                Instant.ofEpochMilli(rs.getLong("created_ms")),
                rs.getInt("blocked") != 0);
    }

    @Override
    public boolean update(Team team) {
        if (!db.exists()) {
            return false;
        }
        return db.work("could not update the team", c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE keyline_teams SET team_alias = ?, models = ?, "
                    + "max_budget_nanos = ?, budget_duration_s = ?, rpm_limit = ?, tpm_limit = ?, max_parallel = ?, "
                    + "metadata = ?, blocked = ? WHERE team_id = ?")) {
                GrantColumns.setString(st, 1, team.alias());
                int i = GrantColumns.bind(st, 2, team.grant());
                st.setString(i++, team.metadata());
                st.setInt(i++, team.blocked() ? 1 : 0);
                st.setString(i, team.id());
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean deleteTeam(String id) {
        if (!db.exists()) {
            return false;
        }
        return db.work("could not delete the team", c -> {
            c.setAutoCommit(false);
            try (PreparedStatement keys =
                            c.prepareStatement("UPDATE keyline_keys SET team_id = NULL WHERE team_id = ?");
                    PreparedStatement st = c.prepareStatement("DELETE FROM keyline_teams WHERE team_id = ?")) {
                keys.setString(1, id);
                keys.executeUpdate();
                st.setString(1, id);
                boolean deleted = st.executeUpdate() == 1;
                c.commit();
                return deleted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public List<Team> teams() {
        if (!db.exists()) {
            return List.of();
        }
        return db.work("could not list the teams", c -> {
            try (PreparedStatement st =
                    c.prepareStatement("SELECT " + TEAM_COLUMNS + " FROM keyline_teams ORDER BY created_ms, team_id")) {
                List<Team> teams = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        teams.add(readTeam(rs));
                    }
                }
                return teams;
            }
        });
    }
}
