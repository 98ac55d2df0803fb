package io.allsource.ingest.store;

import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.failure.FailureMessages;
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
        String detail = action + " failed: " + FailureMessages.firstLine(e.getMessage()) + " (SQLState "
                + e.getSQLState() + ")";
        return FailureClassifier.classify(e) == FailureKind.TRANSIENT ? new TransientStoreException(detail, e)
                : new StoreException(detail, e);
    }
}
