package io.allsource.ingest.store;

import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The store's handling of SQL failures: the states it retries in place (a collision with another partition's
 * transaction), rollback, and the wrapping of the rest, transient or not as {@link FailureClassifier} says.
 */
final class SqlFailures {

    static final String UNIQUE_VIOLATION = "23505";
    static final String DEADLOCK = "40P01";

    private SqlFailures() {
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
        // pgjdbc's message goes on with Detail, Hint and Position lines, which may quote row data: the first line only
        String message = String.valueOf(e.getMessage());
        int lineEnd = message.indexOf('\n');
        String detail = action + " failed: " + (lineEnd < 0 ? message : message.substring(0, lineEnd)) + " (SQLState "
                + e.getSQLState() + ")";
        return FailureClassifier.classify(e) == FailureKind.TRANSIENT ? new TransientStoreException(detail, e)
                : new StoreException(detail, e);
    }
}
