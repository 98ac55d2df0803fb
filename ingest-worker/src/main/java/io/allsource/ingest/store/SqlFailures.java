package io.allsource.ingest.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Sorts SQL failures into transient ones, worth a retry, and the rest. */
final class SqlFailures {

    static final String UNIQUE_VIOLATION = "23505";
    static final String DEADLOCK = "40P01";

    private SqlFailures() {
    }

    static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        return state.startsWith("08")          // connection exceptions
                || state.equals("40001")        // serialization failure
                || state.equals("40P01")        // deadlock detected
                || state.equals("55P03")        // lock not available
                || state.equals("57014")        // statement cancelled (statement timeout)
                || state.startsWith("57P")      // operator intervention: shutdown, terminated backend
                || state.startsWith("53");      // insufficient resources: disk full, out of memory, too many connections
    }

    /** Rolls back, keeping a failure of the rollback with {@code cause} rather than in its place. */
    static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    static StoreException wrap(String action, SQLException e) {
        String detail = action + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")";
        return isTransient(e) ? new TransientStoreException(detail, e) : new StoreException(detail, e);
    }
}
