package io.allsource.ingest.audit;

import java.sql.Connection;
import java.sql.SQLException;

/** One consistent, read-only view of the database for the length of an audit. */
final class Snapshots {

    private Snapshots() {
    }

    /** Starts a read-only repeatable-read transaction on {@code connection}; the caller rolls it back. */
    static void begin(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
    }
}
