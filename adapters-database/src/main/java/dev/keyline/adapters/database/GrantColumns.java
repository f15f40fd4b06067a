package dev.keyline.adapters.database;

import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Grant;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.Usd;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A grant's columns, shared by the keys and teams tables: models, max_budget_nanos … max_parallel. */
final class GrantColumns {

    static final String NAMES = "models, max_budget_nanos, budget_duration_s, rpm_limit, tpm_limit, max_parallel";

    private GrantColumns() {}

    /** Binds the six columns from {@code first}; @return the next index */
    static int bind(PreparedStatement st, int first, Grant grant) throws SQLException {
        int i = first;
        st.setString(i++, String.join("\n", new TreeSet<>(grant.models())));
        setLong(st, i++, grant.budget().max().map(Usd::nanos));
        setLong(st, i++, grant.budget().period().map(Duration::toSeconds));
        setLong(st, i++, box(grant.limits().rpm()));
        setLong(st, i++, box(grant.limits().tpm()));
        OptionalInt parallel = grant.limits().maxParallel();
        setLong(st, i++, parallel.isPresent() ? Optional.of((long) parallel.getAsInt()) : Optional.empty());
        return i;
    }

    static Grant read(ResultSet rs) throws SQLException {
        String models = rs.getString("models");
        Set<String> groups =
                models.isEmpty() ? Set.of() : Arrays.stream(models.split("\n")).collect(Collectors.toUnmodifiableSet());
        Budget budget = new Budget(
                optLong(rs, "max_budget_nanos").map(Usd::new),
                optLong(rs, "budget_duration_s").map(Duration::ofSeconds));
        Optional<Long> parallel = optLong(rs, "max_parallel");
        Limits limits = new Limits(
                unbox(optLong(rs, "rpm_limit")),
                unbox(optLong(rs, "tpm_limit")),
                parallel.map(p -> OptionalInt.of(Math.toIntExact(p))).orElse(OptionalInt.empty()));
        return new Grant(groups, budget, limits);
    }

    static void setLong(PreparedStatement st, int index, Optional<Long> value) throws SQLException {
        if (value.isPresent()) {
            st.setLong(index, value.get());
        } else {
            st.setNull(index, Types.BIGINT);
        }
    }

    static void setString(PreparedStatement st, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            st.setString(index, value.get());
        } else {
            st.setNull(index, Types.VARCHAR);
        }
    }

    static Optional<Long> optLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Long> box(OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }

    private static OptionalLong unbox(Optional<Long> value) {
        return value.map(OptionalLong::of).orElse(OptionalLong.empty());
    }
}
