package dev.keyline.adapters.database;

import dev.keyline.ports.out.StoreException;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** Turns JDBC failures into store errors whose messages hold no key hash (a constraint error would quote one). */
final class SqlErrors {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private SqlErrors() {}

    static boolean isConflict(SQLException e) {
        String state = e.getSQLState();
        // 23505: PostgreSQL's unique violation; SQLite reports its constraint errors by code 19 (and 2067 extended).
        return "23505".equals(state)
                || e.getErrorCode() == 19
                || e.getErrorCode() == 2067
                || String.valueOf(e.getMessage()).contains("UNIQUE constraint failed");
    }

    static StoreException failed(String what, SQLException e) {
        return new StoreException(what + ": " + rootMessage(e), null);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = message.lines().findFirst().orElse(message);
        return HASH.matcher(message).replaceAll("****");
    }
}
